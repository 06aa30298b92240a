package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ResponseFormat;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * The canonical (OpenAI-shaped) request → a Gemini {@code GenerateContentRequest} body. Builds a
 * fresh tree; the request and the JSON nodes it holds are never modified. OpenAI parameters Gemini
 * has no equivalent for ({@code user}, {@code parallel_tool_calls}, unknown extras) are not sent.
 */
final class GeminiRequestEncoder {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /**
   * Gemini 3 rejects a replayed {@code functionCall} without the {@code thoughtSignature} it came
   * with; the canonical tool call has nowhere to keep it, so replayed calls carry the value Google
   * documents for calls it did not sign itself.
   */
  static final String UNSIGNED_CALL = "skip_thought_signature_validator";

  private GeminiRequestEncoder() {}

  static ObjectNode encode(ChatCompletionRequest r) {
    ObjectNode root = F.objectNode();
    ArrayNode system = F.arrayNode();
    Turns turns = new Turns(root.putArray("contents"));
    Map<String, String> callNames = new HashMap<>();
    for (int i = 0; i < r.messages().size(); i++) {
      ChatMessage m = r.messages().get(i);
      String path = "messages[" + i + "]";
      switch (m.role()) {
        case "system", "developer" -> GeminiParts.addText(m.content() == null ? null : m.content().joinedText(), system);
        case "user" -> GeminiParts.addUserParts(m.content(), path + ".content", turns.open("user"));
        case "assistant" -> addModelParts(m, path, callNames, turns.open("model"));
        case "tool" -> turns.open("user").add(GeminiParts.functionResponse(
            toolName(m, path, callNames), m.content() == null ? "" : m.content().joinedText()));
        case "function" -> turns.open("user").add(GeminiParts.functionResponse(
            required(m.name(), path + ".name"), m.content() == null ? "" : m.content().joinedText()));
        default -> throw new WireFormatException(path + ".role", "role '" + m.role() + "' is not supported by Gemini");
      }
    }
    turns.close();
    if (!system.isEmpty()) {
      root.putObject("systemInstruction").set("parts", system);
    }
    GeminiTools.put(r, root, null);
    ObjectNode generation = generationConfig(r);
    if (!generation.isEmpty()) {
      root.set("generationConfig", generation);
    }
    return root;
  }

  private static void addModelParts(ChatMessage m, String path, Map<String, String> callNames, ArrayNode out) {
    if (m.content() != null) {
      GeminiParts.addText(m.content().joinedText(), out);
    }
    if (m.toolCalls() == null) {
      return;
    }
    for (int j = 0; j < m.toolCalls().size(); j++) {
      ToolCall call = m.toolCalls().get(j);
      ObjectNode part = out.addObject();
      part.putObject("functionCall").put("name", call.name())
          .set("args", arguments(call.arguments(), path + ".tool_calls[" + j + "].function.arguments"));
      if (call.id() != null) {
        callNames.put(call.id(), call.name());
      }
    }
  }

  private static JsonNode arguments(String text, String path) {
    if (text == null || text.isBlank()) {
      return F.objectNode();
    }
    JsonNode args;
    try {
      args = Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new WireFormatException(path, "'" + path + "' must be a JSON object, as text");
    }
    if (args == null || !args.isObject()) {
      throw new WireFormatException(path, "'" + path + "' must be a JSON object, as text");
    }
    return args;
  }

  /** Gemini matches a result to its call by function name; OpenAI by id. The latest call with the id wins. */
  private static String toolName(ChatMessage m, String path, Map<String, String> callNames) {
    String name = m.toolCallId() == null ? null : callNames.get(m.toolCallId());
    if (name == null) {
      name = m.name();
    }
    if (name == null) {
      throw new WireFormatException(path + ".tool_call_id", "'" + path + ".tool_call_id' ("
          + m.toolCallId() + ") does not match a tool call of an earlier assistant message");
    }
    return name;
  }

  private static String required(String value, String path) {
    if (value == null) {
      throw new WireFormatException(path, "'" + path + "' is required");
    }
    return value;
  }

  private static ObjectNode generationConfig(ChatCompletionRequest r) {
    ObjectNode g = F.objectNode();
    if (r.temperature() != null) {
      g.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      g.put("topP", r.topP());
    }
    Integer max = r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens();
    if (max != null) {
      g.put("maxOutputTokens", max);
    }
    if (r.stop() != null && !r.stop().isEmpty()) {
      ArrayNode stop = g.putArray("stopSequences");
      r.stop().forEach(stop::add);
    }
    if (r.n() != null) {
      g.put("candidateCount", r.n());
    }
    JsonNode seed = r.extra().get("seed");
    if (seed != null && seed.isIntegralNumber()) {
      g.put("seed", seed.longValue());
    }
    JsonNode topK = r.extra().get("top_k");
    if (topK != null && topK.isIntegralNumber()) {
      g.put("topK", topK.intValue());
    }
    copyNumber(r, "presence_penalty", g, "presencePenalty");
    copyNumber(r, "frequency_penalty", g, "frequencyPenalty");
    thinkingConfig(r.extra().get("thinking_config"), g);
    ResponseFormat format = r.responseFormat();
    if (format != null && ("json_object".equals(format.type()) || "json_schema".equals(format.type()))) {
      g.put("responseMimeType", "application/json");
      JsonNode schema = GeminiTools.responseSchema(r, null);
      if (schema != null) {
        g.set("responseSchema", schema);
      }
    }
    return g;
  }

  /**
   * {@code thinking_config} ({@code thinking_budget}, {@code thinking_level}, {@code include_thoughts},
   * the names of Google's OpenAI-compatible API) → {@code generationConfig.thinkingConfig}. Per-target
   * adaptation maps {@code reasoning_effort} and Anthropic's {@code thinking} to it.
   */
  private static void thinkingConfig(JsonNode config, ObjectNode g) {
    if (config == null || !config.isObject()) {
      return;
    }
    ObjectNode out = F.objectNode();
    JsonNode budget = config.get("thinking_budget");
    if (budget != null && budget.isIntegralNumber()) {
      out.put("thinkingBudget", budget.intValue());
    }
    JsonNode level = config.get("thinking_level");
    if (level != null && level.isTextual()) {
      out.put("thinkingLevel", level.textValue());
    }
    JsonNode include = config.get("include_thoughts");
    if (include != null && include.isBoolean()) {
      out.put("includeThoughts", include.booleanValue());
    }
    if (!out.isEmpty()) {
      g.set("thinkingConfig", out);
    }
  }

  private static void copyNumber(ChatCompletionRequest r, String from, ObjectNode g, String to) {
    JsonNode v = r.extra().get(from);
    if (v != null && v.isNumber()) {
      g.put(to, v.doubleValue());
    }
  }

  /** Extra (untyped) parameters {@link #generationConfig} carries; any other is unsupported. */
  static final java.util.Set<String> CARRIED_EXTRAS = java.util.Set.of("seed", "top_k", "presence_penalty",
      "frequency_penalty", "thinking_config");

  /**
   * Builds {@code contents}, merging consecutive messages of one role into one turn (Gemini wants
   * user and model to alternate) and dropping turns left without parts.
   */
  private static final class Turns {
    private final ArrayNode contents;
    private String role;
    private ArrayNode parts;

    Turns(ArrayNode contents) {
      this.contents = contents;
    }

    ArrayNode open(String nextRole) {
      if (!nextRole.equals(role)) {
        close();
        role = nextRole;
        parts = F.arrayNode();
      }
      return parts;
    }

    void close() {
      if (parts == null || parts.isEmpty()) {
        return;
      }
      if ("model".equals(role)) {
        signFirstCall(parts);
      }
      ObjectNode turn = contents.addObject().put("role", role);
      turn.set("parts", parts);
      parts = null;
      role = null;
    }

    private static void signFirstCall(ArrayNode parts) {
      for (JsonNode part : parts) {
        if (part.has("functionCall")) {
          ((ObjectNode) part).put("thoughtSignature", UNSIGNED_CALL);
          return;
        }
      }
    }
  }
}
