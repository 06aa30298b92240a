package dev.sluice.server.responses;

import dev.sluice.api.openai.OpenAiError;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.RequestJson;
import dev.sluice.pipeline.FrontDoor;
import dev.sluice.pipeline.FrontStream;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;

/**
 * OpenAI's Responses API as a front door ({@code POST /v1/responses}): Responses requests become
 * canonical so any provider can serve them, and canonical answers, streams and errors are written
 * back as the OpenAI SDKs' {@code responses} calls read them. A request using what only OpenAI can
 * serve (stored state, built-in tools) is passed through natively to an OpenAI target and its answer
 * relayed byte for byte. Errors are in OpenAI's shape. Stateless apart from id generation;
 * thread-safe; one instance serves every request.
 */
public final class ResponsesFrontDoor implements FrontDoor {
  private final ResponseIds ids;
  private final ResponsesEncoder encoder;
  private final RequestJson json;

  public ResponsesFrontDoor() {
    this(Clock.systemUTC(), RequestJson.DEFAULTS);
  }

  /** {@code clock} stamps ids and {@code created_at}; bodies are parsed with {@code json}'s limits. */
  public ResponsesFrontDoor(Clock clock, RequestJson json) {
    this.ids = new ResponseIds(clock);
    this.encoder = new ResponsesEncoder(ids);
    this.json = json;
  }

  @Override
  public String endpoint() {
    return "responses";
  }

  @Override
  public ChatRequest parse(Buffer body) {
    return ResponsesRequestParser.parse(body, json);
  }

  @Override
  public Buffer encodeResponse(ChatRequest request, ChatResponse response) {
    if (response.responsesJson() != null) {
      return response.responsesJson(); // OpenAI's own answer to a request passed through natively
    }
    return Json.toBuffer(encoder.encode(request, response));
  }

  @Override
  public FrontStream newStream(ChatRequest request) {
    return new ResponsesFrontStream(request, ids);
  }

  @Override
  public Buffer errorBody(ApiError e) {
    return Json.toBuffer(new OpenAiError(e.message(), e.type(), e.param(), e.code()).toJson());
  }
}
