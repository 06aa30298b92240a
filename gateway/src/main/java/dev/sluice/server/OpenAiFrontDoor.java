package dev.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.OpenAiError;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.api.openai.SameFormatRelay;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.RequestJson;
import dev.sluice.core.TokenUsage;
import dev.sluice.pipeline.FrontDoor;
import dev.sluice.pipeline.FrontStream;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * OpenAI Chat Completions as the client's format. Answers from OpenAI-format providers are relayed
 * byte for byte; translated ones are encoded from the canonical records.
 */
final class OpenAiFrontDoor implements FrontDoor {
  /** With Jackson's default JSON limits; the gateway parses chat requests with {@link #withLimits}. */
  static final OpenAiFrontDoor INSTANCE = new OpenAiFrontDoor(RequestJson.DEFAULTS);

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final RequestJson json;

  private OpenAiFrontDoor(RequestJson json) {
    this.json = json;
  }

  /** This front door parsing request bodies with {@code json}'s limits. */
  static OpenAiFrontDoor withLimits(RequestJson json) {
    return new OpenAiFrontDoor(json);
  }

  @Override
  public String endpoint() {
    return "chat";
  }

  @Override
  public ChatRequest parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new FrontDoorException(ApiError.invalidRequest(null, "The request body is empty; send a JSON object"));
    }
    JsonNode tree;
    try {
      tree = json.parse(body);
    } catch (RequestJson.Refused e) {
      throw new FrontDoorException(ApiError.invalidRequest(null,
          "We could not parse the JSON body of your request: " + e.getMessage()));
    }
    try {
      // Bodies the encoder would send unchanged but for the model are kept, for a same-format relay.
      return new ChatRequest(OpenAiRequestCodec.decode(tree), null, null,
          SameFormatRelay.lossless(tree) ? body : null);
    } catch (WireFormatException e) {
      throw new FrontDoorException(ApiError.invalidRequest(e.param(), e.getMessage()));
    }
  }

  @Override
  public Buffer encodeResponse(ChatRequest request, ChatResponse response) {
    return response.openAiJson() != null ? response.openAiJson()
        : Json.toBuffer(OpenAiResponseCodec.encodeCompletion(response.body()));
  }

  @Override
  public FrontStream newStream(ChatRequest request) {
    return new Stream(request.clientWantsStreamUsage());
  }

  @Override
  public Buffer errorBody(ApiError e) {
    return Json.toBuffer(new OpenAiError(e.message(), e.type(), e.param(), e.code()).toJson());
  }

  /** {@code data: <chunk>} events, {@code data: [DONE]} at the end; errors as a data event. */
  private final class Stream implements FrontStream {
    private final boolean clientWantsUsage;

    Stream(boolean clientWantsUsage) {
      this.clientWantsUsage = clientWantsUsage;
    }

    @Override
    public void onChunk(ChatChunk chunk, Consumer<Buffer> write) {
      if (chunk.isUsageOnly() && !clientWantsUsage) {
        return; // Sluice asked for usage for its own accounting; the client did not.
      }
      Buffer json = chunk.openAiJson() != null ? chunk.openAiJson()
          : Json.toBuffer(OpenAiResponseCodec.encodeChunk(chunk.chunk()));
      write.accept(Buffer.buffer(json.length() + 8).appendBytes(DATA).appendBuffer(json).appendBytes(END_OF_EVENT));
    }

    @Override
    public void onComplete(TokenUsage usage, Consumer<Buffer> write) {
      write.accept(DONE);
    }

    @Override
    public void onError(ApiError error, Consumer<Buffer> write) {
      write.accept(Buffer.buffer(DATA).appendBuffer(errorBody(error)).appendBytes(END_OF_EVENT));
    }
  }
}
