package dev.sluice.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Anthropic Messages wire format: {@code POST /v1/messages}, as JSON or as a named-event SSE
 * stream ({@code message_start}, {@code content_block_start}, {@code ping}, one {@code
 * content_block_delta} per word, {@code content_block_stop}, {@code message_delta}, {@code
 * message_stop}). Every event has an {@code event:} line and a {@code data:} line whose JSON
 * {@code type} matches it. Errors are {@code {"type":"error","error":{"type","message"}}}.
 *
 * <p>Prompt tokens count the words of {@code system} and of every message.
 */
final class AnthropicMockResponder implements MockResponder {

  static final String DEFAULT_MODEL = "mock-claude";
  private static final String MESSAGES = "/v1/messages";

  private final AtomicLong ids = new AtomicLong();

  @Override
  public boolean handles(HttpMethod method, String path) {
    return method == HttpMethod.POST && path.equals(MESSAGES);
  }

  @Override
  public void respond(MockExchange exchange, ObjectNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("messages: field required and must be a non-empty array");
    }
    List<String> texts = new ArrayList<>();
    texts.add(MockJson.textOf(body.path("system")));
    String lastUser = "";
    for (JsonNode message : messages) {
      String text = MockJson.textOf(message.path("content"));
      texts.add(text);
      if ("user".equals(message.path("role").asText())) {
        lastUser = text;
      }
    }
    String id = "msg_mock_" + ids.incrementAndGet();
    String model = MockJson.string(body, "model", DEFAULT_MODEL);
    MockAnswer answer = exchange.answer(lastUser);
    int inputTokens = MockAnswer.promptTokens(texts);
    if (body.path("stream").asBoolean(false)) {
      exchange.stream("text/event-stream", frames(id, model, answer, inputTokens));
    } else {
      ObjectNode message = message(id, model, inputTokens, answer.completionTokens());
      message.putArray("content")
          .add(MockJson.object().put("type", "text").put("text", answer.text()));
      message.put("stop_reason", "end_turn");
      exchange.sendJson(message);
    }
  }

  /** The message envelope; content is empty and stop_reason null, as in {@code message_start}. */
  private static ObjectNode message(String id, String model, int inputTokens, int outputTokens) {
    ObjectNode message = MockJson.object()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model);
    message.set("content", MockJson.array());
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", MockJson.object()
        .put("input_tokens", inputTokens)
        .put("output_tokens", outputTokens)
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0));
    return message;
  }

  private static List<String> frames(String id, String model, MockAnswer answer, int inputTokens) {
    List<String> frames = new ArrayList<>();
    // Anthropic reports a provisional output_tokens of 1 at the start; the final count comes last.
    ObjectNode start = event("message_start");
    start.set("message", message(id, model, inputTokens, 1));
    frames.add(frame(start));
    ObjectNode blockStart = event("content_block_start").put("index", 0);
    blockStart.set("content_block", MockJson.object().put("type", "text").put("text", ""));
    frames.add(frame(blockStart));
    frames.add(frame(event("ping")));
    for (String piece : answer.streamPieces()) {
      ObjectNode delta = event("content_block_delta").put("index", 0);
      delta.set("delta", MockJson.object().put("type", "text_delta").put("text", piece));
      frames.add(frame(delta));
    }
    frames.add(frame(event("content_block_stop").put("index", 0)));
    ObjectNode messageDelta = event("message_delta");
    ObjectNode delta = messageDelta.putObject("delta").put("stop_reason", "end_turn");
    delta.putNull("stop_sequence");
    messageDelta.set("usage",
        MockJson.object().put("output_tokens", answer.completionTokens()));
    frames.add(frame(messageDelta));
    frames.add(frame(event("message_stop")));
    return frames;
  }

  private static ObjectNode event(String type) {
    return MockJson.object().put("type", type);
  }

  /** Named SSE event; the name is taken from the payload's type so the two can never disagree. */
  private static String frame(ObjectNode data) {
    return "event: " + data.path("type").asText() + "\ndata: " + MockJson.write(data) + "\n\n";
  }

  @Override
  public ObjectNode errorBody(int status, String message) {
    String type = switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
    ObjectNode root = MockJson.object().put("type", "error");
    root.set("error", MockJson.object().put("type", type).put("message", message));
    return root;
  }

  @Override
  public void addErrorHeaders(int status, FaultSpec spec, MultiMap headers) {
    if (status == 429) {
      headers.set("anthropic-ratelimit-requests-remaining", "0");
    }
  }
}
