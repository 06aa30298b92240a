package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * A Responses API request passed through natively ({@link ChatRequest#responses()}): the client's
 * body goes to {@code POST /responses} with only {@code model} written over, and the answer (a
 * {@code response} object) comes back byte for byte, with its usage read for the ledger and a
 * canonical summary (the output text) for the request log and traces. Stateless.
 */
final class OpenAiResponsesPassThrough {
  private OpenAiResponsesPassThrough() {}

  static UpstreamRequest encode(ChatRequest request, Target target) {
    ObjectNode body = request.responses().json().deepCopy();
    body.put("model", target.model());
    boolean stream = body.path("stream").asBoolean(false);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json")
        .add("accept", stream ? "text/event-stream" : "application/json");
    return new UpstreamRequest(HttpMethod.POST, "/responses", headers, Json.toBuffer(body), stream);
  }

  /** Whether a decoded 2xx body is a Responses API {@code response} object rather than a chat completion. */
  static boolean isResponse(JsonNode node) {
    return node.isObject() && "response".equals(node.path("object").asText(null));
  }

  static ChatResponse decode(JsonNode response, Buffer raw) {
    StringBuilder text = new StringBuilder();
    for (JsonNode item : response.path("output")) {
      if ("message".equals(item.path("type").asText())) {
        for (JsonNode part : item.path("content")) {
          if ("output_text".equals(part.path("type").asText())) {
            text.append(part.path("text").asText(""));
          }
        }
      }
    }
    TokenUsage usage = usage(response.path("usage"));
    ChatCompletion summary = new ChatCompletion(response.path("id").asText(""), response.path("created_at").asLong(),
        response.path("model").asText(""), List.of(new ChatCompletion.Choice(0, ChatMessage.of("assistant",
        text.toString()), "incomplete".equals(response.path("status").asText()) ? "length" : "stop")),
        usage.toOpenAi(), null);
    return new ChatResponse(summary, usage, null, null, raw);
  }

  /** Responses usage: input (cached included), output (reasoning included), their details. */
  static TokenUsage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return TokenUsage.ZERO;
    }
    return new TokenUsage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
        u.path("input_tokens_details").path("cached_tokens").asLong(), 0,
        u.path("output_tokens_details").path("reasoning_tokens").asLong());
  }
}
