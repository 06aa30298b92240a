package dev.sluice.server.anthropic;

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
 * The Anthropic Messages API as a front door ({@code POST /v1/messages}): Anthropic requests become
 * canonical, canonical answers, streams and errors are written back the way the Anthropic SDKs read
 * them. Stateless apart from id generation; thread-safe; one instance serves every request.
 *
 * <p>Validation follows Anthropic's: {@code model}, {@code max_tokens} and a non-empty
 * {@code messages} are required, roles are user or assistant, content block types are checked per
 * role; a failure is a 400 whose {@code param} is the dotted path of the field
 * ({@code messages.1.content.0.type}) and whose message starts with it.
 */
public final class AnthropicFrontDoor implements FrontDoor {
  private final MessageIds ids;
  private final AnthropicResponseEncoder responses;
  private final RequestJson json;

  public AnthropicFrontDoor() {
    this(Clock.systemUTC());
  }

  /** {@code clock} only seeds the ids made up when a provider gave none. */
  public AnthropicFrontDoor(Clock clock) {
    this(clock, RequestJson.DEFAULTS);
  }

  /** As {@link #AnthropicFrontDoor(Clock)}, parsing request bodies with {@code json}'s limits. */
  public AnthropicFrontDoor(Clock clock, RequestJson json) {
    this.ids = new MessageIds(clock);
    this.responses = new AnthropicResponseEncoder(ids);
    this.json = json;
  }

  @Override
  public String endpoint() {
    return "messages";
  }

  @Override
  public ChatRequest parse(Buffer body) {
    return parse(body, true);
  }

  /**
   * Parses a {@code POST /v1/messages/count_tokens} body: a Messages request without
   * {@code max_tokens}. Pair with {@link AnthropicTokenCounter#countInputTokens(ChatRequest)}.
   *
   * @throws FrontDoorException carrying a 400 that names the bad field
   */
  public ChatRequest parseForCounting(Buffer body) {
    return parse(body, false);
  }

  ChatRequest parse(Buffer body, boolean requireMaxTokens) {
    return AnthropicRequestParser.parseRequest(body, requireMaxTokens, json);
  }

  @Override
  public Buffer encodeResponse(ChatRequest request, ChatResponse response) {
    if (response.anthropicJson() != null) {
      return response.anthropicJson(); // an Anthropic provider's own answer: nothing to translate, nothing lost
    }
    return Json.toBuffer(responses.encode(request, response));
  }

  @Override
  public FrontStream newStream(ChatRequest request) {
    return new AnthropicFrontStream(request, ids);
  }

  @Override
  public String requestIdHeader() {
    return "request-id"; // what the Anthropic SDKs surface as the request id
  }

  @Override
  public Buffer errorBody(ApiError error) {
    return Json.toBuffer(AnthropicErrorBodies.body(error));
  }
}
