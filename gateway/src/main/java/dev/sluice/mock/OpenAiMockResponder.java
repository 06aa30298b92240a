package dev.sluice.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI wire format: {@code POST /v1/chat/completions} (JSON or SSE), {@code POST
 * /v1/embeddings} and {@code GET /v1/models}, with errors shaped {@code {"error":{"message","type",
 * "param","code"}}}.
 *
 * <p>The answer is {@link MockAnswer}'s text, unless the request has {@code tools} and a {@code
 * tool_choice} of {@code "required"} or a named function: then it is a single tool call {@code
 * call_mock_1} to that (or the first) function with arguments {@code {}}. Streams follow OpenAI's
 * chunk sequence: role chunk, content (or tool-call) chunks, a finish chunk with an empty delta,
 * an optional usage chunk with {@code choices: []}, then {@code data: [DONE]}.
 */
final class OpenAiMockResponder implements MockResponder {

  static final String DEFAULT_MODEL = "mock-model";
  static final String TOOL_CALL_ID = "call_mock_1";
  private static final String CHAT = "/v1/chat/completions";
  private static final String EMBEDDINGS = "/v1/embeddings";
  private static final String MODELS = "/v1/models";

  private final AtomicLong ids = new AtomicLong();

  /** Everything a chat answer needs, shared by the JSON and the streaming form. */
  private record Reply(String id, String model, long created, MockAnswer answer, String toolName,
      int promptTokens, boolean includeUsage) {

    boolean isToolCall() {
      return toolName != null;
    }

    int completionTokens() {
      // A tool call "says" its name and its arguments.
      return isToolCall() ? MockAnswer.countWords(toolName + " {}") : answer.completionTokens();
    }
  }

  @Override
  public boolean handles(HttpMethod method, String path) {
    return (method == HttpMethod.POST && (path.equals(CHAT) || path.equals(EMBEDDINGS)))
        || (method == HttpMethod.GET && path.equals(MODELS));
  }

  @Override
  public void respond(MockExchange exchange, ObjectNode body) {
    switch (exchange.path()) {
      case CHAT -> chat(exchange, body);
      case EMBEDDINGS -> exchange.sendJson(OpenAiEmbeddings.respond(body));
      default -> exchange.sendJson(models(exchange.nowEpochSeconds()));
    }
  }

  private void chat(MockExchange exchange, ObjectNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("'messages' must be a non-empty array");
    }
    List<String> texts = new ArrayList<>();
    String lastUser = "";
    for (JsonNode message : messages) {
      String text = MockJson.textOf(message.path("content"));
      texts.add(text);
      if ("user".equals(message.path("role").asText())) {
        lastUser = text;
      }
    }
    String toolName = forcedToolName(body);
    Reply reply = new Reply("chatcmpl-mock-" + ids.incrementAndGet(),
        MockJson.string(body, "model", DEFAULT_MODEL), exchange.nowEpochSeconds(),
        toolName == null ? exchange.answer(lastUser) : null, toolName,
        MockAnswer.promptTokens(texts),
        body.path("stream_options").path("include_usage").asBoolean(false));
    if (body.path("stream").asBoolean(false)) {
      exchange.stream("text/event-stream", frames(reply));
    } else {
      exchange.sendJson(completion(reply));
    }
  }

  /** The function the request forces, or {@code null} when the model may answer in text. */
  private static String forcedToolName(ObjectNode body) {
    JsonNode tools = body.path("tools");
    if (!tools.isArray() || tools.isEmpty()) {
      return null;
    }
    JsonNode choice = body.path("tool_choice");
    String named = choice.path("function").path("name").asText("");
    if (!named.isEmpty()) {
      return named;
    }
    if (!"required".equals(choice.asText())) {
      return null;
    }
    return tools.get(0).path("function").path("name").asText("tool");
  }

  private static ObjectNode completion(Reply reply) {
    ObjectNode message = MockJson.object().put("role", "assistant");
    if (reply.isToolCall()) {
      message.putNull("content");
      message.set("tool_calls", MockJson.array().add(toolCall(reply.toolName(), "{}", true)));
    } else {
      message.put("content", reply.answer().text());
    }
    message.putNull("refusal");
    ObjectNode choice = MockJson.object().put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(reply));
    ObjectNode root = header(reply, "chat.completion");
    root.set("choices", MockJson.array().add(choice));
    root.set("usage", usage(reply));
    return root;
  }

  private static List<String> frames(Reply reply) {
    List<ObjectNode> chunks = new ArrayList<>();
    ObjectNode roleDelta = MockJson.object().put("role", "assistant");
    if (reply.isToolCall()) {
      roleDelta.putNull("content");
      chunks.add(chunk(reply, roleDelta, null));
      chunks.add(chunk(reply, toolDelta(toolCall(reply.toolName(), "", true)), null));
      // The arguments arrive in pieces, as real streams split them mid-token.
      chunks.add(chunk(reply, toolDelta(toolCall(null, "{", false)), null));
      chunks.add(chunk(reply, toolDelta(toolCall(null, "}", false)), null));
    } else {
      chunks.add(chunk(reply, roleDelta.put("content", ""), null));
      for (String piece : reply.answer().streamPieces()) {
        chunks.add(chunk(reply, MockJson.object().put("content", piece), null));
      }
    }
    chunks.add(chunk(reply, MockJson.object(), finishReason(reply)));
    if (reply.includeUsage()) {
      ObjectNode usageChunk = header(reply, "chat.completion.chunk");
      usageChunk.set("choices", MockJson.array());
      usageChunk.set("usage", usage(reply));
      chunks.add(usageChunk);
    }
    List<String> frames = new ArrayList<>(chunks.size() + 1);
    for (ObjectNode chunk : chunks) {
      frames.add("data: " + MockJson.write(chunk) + "\n\n");
    }
    frames.add("data: [DONE]\n\n");
    return frames;
  }

  private static ObjectNode chunk(Reply reply, ObjectNode delta, String finishReason) {
    ObjectNode choice = MockJson.object().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    ObjectNode chunk = header(reply, "chat.completion.chunk");
    chunk.set("choices", MockJson.array().add(choice));
    if (reply.includeUsage()) {
      chunk.putNull("usage"); // OpenAI sends an explicit null on every chunk but the last
    }
    return chunk;
  }

  private static ObjectNode toolDelta(ObjectNode call) {
    ObjectNode delta = MockJson.object();
    delta.set("tool_calls", MockJson.array().add(call));
    return delta;
  }

  /** A tool call entry; {@code first} adds the id/type/name that only the first fragment has. */
  private static ObjectNode toolCall(String name, String arguments, boolean first) {
    ObjectNode function = MockJson.object();
    if (name != null) {
      function.put("name", name);
    }
    function.put("arguments", arguments);
    ObjectNode call = MockJson.object().put("index", 0);
    if (first) {
      call.put("id", TOOL_CALL_ID).put("type", "function");
    }
    call.set("function", function);
    return call;
  }

  private static ObjectNode header(Reply reply, String object) {
    return MockJson.object()
        .put("id", reply.id())
        .put("object", object)
        .put("created", reply.created())
        .put("model", reply.model())
        .put("system_fingerprint", "fp_mock");
  }

  private static String finishReason(Reply reply) {
    return reply.isToolCall() ? "tool_calls" : "stop";
  }

  private static ObjectNode usage(Reply reply) {
    int completion = reply.completionTokens();
    ObjectNode usage = MockJson.object()
        .put("prompt_tokens", reply.promptTokens())
        .put("completion_tokens", completion)
        .put("total_tokens", reply.promptTokens() + completion);
    usage.set("prompt_tokens_details", MockJson.object().put("cached_tokens", 0));
    usage.set("completion_tokens_details", MockJson.object().put("reasoning_tokens", 0));
    return usage;
  }

  private static ObjectNode models(long created) {
    ArrayNode data = MockJson.array();
    for (String id : List.of(DEFAULT_MODEL, OpenAiEmbeddings.DEFAULT_MODEL)) {
      data.add(MockJson.object().put("id", id).put("object", "model").put("created", created)
          .put("owned_by", "sluice-mock"));
    }
    ObjectNode root = MockJson.object().put("object", "list");
    root.set("data", data);
    return root;
  }

  @Override
  public ObjectNode errorBody(int status, String message) {
    String type;
    String code = null;
    if (status == 401) {
      type = "invalid_request_error";
      code = "invalid_api_key";
    } else if (status == 429) {
      type = "requests";
      code = "rate_limit_exceeded";
    } else if (status >= 500) {
      type = "server_error";
    } else {
      type = "invalid_request_error";
    }
    ObjectNode error = MockJson.object().put("message", message).put("type", type);
    error.putNull("param");
    error.put("code", code);
    ObjectNode root = MockJson.object();
    root.set("error", error);
    return root;
  }

  @Override
  public void addErrorHeaders(int status, FaultSpec spec, MultiMap headers) {
    if (status == 429) {
      headers.set("x-ratelimit-remaining-requests", "0")
          .set("x-ratelimit-reset-requests", spec.retryAfterSeconds() + "s");
    }
  }
}
