package dev.sluice.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;

/**
 * The parts of a Responses API {@code response} object: the envelope (id, status, the request's
 * parameters echoed as OpenAI echoes them, usage), output items and usage. Shared by the whole
 * answer and the stream's {@code response.created} / {@code response.completed}. Stateless.
 */
final class ResponseObjects {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ResponseObjects() {}

  /**
   * The envelope: {@code status} in_progress | completed | incomplete | failed; {@code output} and
   * {@code usage} null while in progress; {@code incompleteReason} null unless incomplete.
   */
  static ObjectNode envelope(ChatRequest request, String id, long createdAt, String model, String status,
      ArrayNode output, TokenUsage usage, String incompleteReason) {
    JsonNode echo = request.responses() == null ? F.objectNode() : request.responses().json();
    ObjectNode o = F.objectNode();
    o.put("id", id);
    o.put("object", "response");
    o.put("created_at", createdAt);
    o.put("status", status);
    o.put("background", false);
    o.putNull("error");
    if (incompleteReason == null) {
      o.putNull("incomplete_details");
    } else {
      o.putObject("incomplete_details").put("reason", incompleteReason);
    }
    copy(echo, o, "instructions", F.nullNode());
    copy(echo, o, "max_output_tokens", F.nullNode());
    o.put("model", model);
    o.set("output", output == null ? F.arrayNode() : output);
    copy(echo, o, "parallel_tool_calls", F.booleanNode(true));
    o.putNull("previous_response_id");
    ObjectNode reasoning = o.putObject("reasoning");
    reasoning.set("effort", echo.path("reasoning").path("effort").isTextual()
        ? echo.path("reasoning").get("effort") : F.nullNode());
    reasoning.putNull("summary");
    o.put("store", false); // a translated answer is not stored: GET /v1/responses/{id} cannot find it
    copy(echo, o, "temperature", F.numberNode(1.0));
    JsonNode text = echo.path("text");
    o.set("text", text.isObject() && text.has("format") ? text : F.objectNode().set("format",
        F.objectNode().put("type", "text")));
    copy(echo, o, "tool_choice", F.textNode("auto"));
    copy(echo, o, "tools", F.arrayNode());
    copy(echo, o, "top_p", F.numberNode(1.0));
    o.put("truncation", "disabled");
    if (usage == null) {
      o.putNull("usage");
    } else {
      o.set("usage", usage(usage));
    }
    copy(echo, o, "user", F.nullNode());
    copy(echo, o, "metadata", F.objectNode());
    return o;
  }

  private static void copy(JsonNode from, ObjectNode to, String field, JsonNode fallback) {
    JsonNode v = from.get(field);
    to.set(field, v == null || v.isNull() ? fallback : v);
  }

  /** {@code input_tokens} counts cached ones, {@code output_tokens} reasoning ones, as OpenAI reports them. */
  static ObjectNode usage(TokenUsage u) {
    ObjectNode o = F.objectNode();
    o.put("input_tokens", u.input());
    o.putObject("input_tokens_details").put("cached_tokens", u.cachedRead());
    o.put("output_tokens", u.output());
    o.putObject("output_tokens_details").put("reasoning_tokens", u.reasoning());
    o.put("total_tokens", u.input() + u.output());
    return o;
  }

  /** An assistant message item ({@code status} in_progress with no parts while streaming). */
  static ObjectNode message(String id, String status, String text) {
    ObjectNode o = F.objectNode().put("id", id).put("type", "message").put("status", status).put("role", "assistant");
    ArrayNode content = o.putArray("content");
    if (text != null) {
      content.add(textPart(text));
    }
    return o;
  }

  static ObjectNode textPart(String text) {
    ObjectNode part = F.objectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
    return F.objectNode().put("id", id).put("type", "function_call").put("status", status)
        .put("arguments", arguments).put("call_id", callId).put("name", name);
  }

  /** A reasoning item; its text as a {@code reasoning_text} part (null: none yet). */
  static ObjectNode reasoning(String id, String text) {
    ObjectNode o = F.objectNode().put("id", id).put("type", "reasoning");
    o.putArray("summary");
    ArrayNode content = o.putArray("content");
    if (text != null) {
      content.addObject().put("type", "reasoning_text").put("text", text);
    }
    return o;
  }

  /** The Responses status and incomplete reason for a canonical finish reason. */
  static String incompleteReason(String finishReason) {
    if ("length".equals(finishReason)) {
      return "max_output_tokens";
    }
    return "content_filter".equals(finishReason) ? "content_filter" : null;
  }
}
