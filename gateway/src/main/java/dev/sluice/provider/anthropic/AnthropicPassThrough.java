package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.core.AnthropicBody;
import dev.sluice.core.ChatRequest;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Anthropic front door → Anthropic provider: the client's own body goes on, so nothing the canonical
 * form has no slot for is lost ({@code cache_control} on system, tools and content blocks, thinking
 * and redacted_thinking blocks with their signatures, document citations, fields newer than Sluice).
 * Only what routing or adaptation changed is written over a copy: the model name, {@code max_tokens},
 * and each top-level parameter whose canonical value differs from the one parsed (a dropped
 * unsupported parameter, an adaptation rule's rename, clamp or reasoning mapping). Stateless.
 *
 * <p>Applies only while the canonical request still holds the parsed messages, tools, tool choice
 * and response format (by identity): a system-prompt rule or anything else that rewrites those sends
 * the translated body instead.
 */
final class AnthropicPassThrough {
  /** Top-level fields the front door models; every other one rides in the canonical extra map. */
  private static final Set<String> MODELLED = Set.of("model", "messages", "system", "max_tokens", "stop_sequences",
      "stream", "temperature", "top_p", "tools", "tool_choice", "metadata", "output_config", "output_format");

  private AnthropicPassThrough() {}

  /** Whether {@code request} can go as the client sent it (see the class comment). */
  static boolean applies(ChatRequest request) {
    AnthropicBody a = request.anthropic();
    if (a == null) {
      return false;
    }
    ChatCompletionRequest r = request.body();
    ChatCompletionRequest p = a.parsed();
    return r.messages() == p.messages() && r.tools() == p.tools() && r.toolChoice() == p.toolChoice()
        && Objects.equals(r.parallelToolCalls(), p.parallelToolCalls()) && r.responseFormat() == p.responseFormat()
        && (r.n() == null || r.n() == 1);
  }

  /** The body to send: a copy of the client's with what changed written over it. */
  static ObjectNode body(ChatRequest request, String model, int maxTokens) {
    ChatCompletionRequest r = request.body();
    ChatCompletionRequest p = request.anthropic().parsed();
    ObjectNode o = request.anthropic().json().deepCopy();
    o.put("model", model); // put keeps the field where the client had it
    if (!o.has("max_tokens") || o.path("max_tokens").asInt() != maxTokens) {
      o.put("max_tokens", maxTokens);
    }
    if (!Objects.equals(r.temperature(), p.temperature())) {
      putOrRemove(o, "temperature", r.temperature() == null ? null
          : o.numberNode(Math.max(0.0, Math.min(1.0, r.temperature()))));
    }
    if (!Objects.equals(r.topP(), p.topP())) {
      putOrRemove(o, "top_p", r.topP() == null ? null : o.numberNode(r.topP()));
    }
    if (!Objects.equals(r.stop(), p.stop())) {
      ArrayNode stops = null;
      if (r.stop() != null && !r.stop().isEmpty()) {
        stops = o.arrayNode();
        r.stop().forEach(stops::add);
      }
      putOrRemove(o, "stop_sequences", stops);
    }
    if (!Objects.equals(r.user(), p.user())) {
      user(o, r.user());
    }
    if (r.stream() != o.path("stream").asBoolean(false)) {
      o.set("stream", BooleanNode.valueOf(r.stream()));
    }
    extras(o, r.extra());
    return o;
  }

  /** Unmodelled fields: removed when the canonical request dropped them, written when it changed or added them. */
  private static void extras(ObjectNode o, Map<String, JsonNode> extra) {
    for (Iterator<String> names = o.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!MODELLED.contains(name) && !extra.containsKey(name)) {
        names.remove();
      }
    }
    for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
      if (!e.getValue().equals(o.get(e.getKey()))) {
        o.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void user(ObjectNode o, String user) {
    JsonNode metadata = o.get("metadata");
    if (user != null) {
      (metadata instanceof ObjectNode m ? m : o.putObject("metadata")).put("user_id", user);
    } else if (metadata instanceof ObjectNode m) {
      m.remove("user_id");
      if (m.isEmpty()) {
        o.remove("metadata");
      }
    }
  }

  private static void putOrRemove(ObjectNode o, String field, JsonNode value) {
    if (value == null) {
      o.remove(field);
    } else {
      o.set(field, value);
    }
  }
}
