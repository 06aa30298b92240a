package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ResponseFormat;
import dev.sluice.api.openai.ToolChoice;
import dev.sluice.api.openai.ToolDefinition;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.provider.ObjectRootSchemas;
import dev.sluice.provider.ToolNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical request → an Anthropic Messages body. Builds a new tree and never writes into the
 * request (nodes it holds, such as tool schemas, are referenced read-only). OpenAI parameters
 * Anthropic has no field for are dropped: Anthropic rejects unknown fields.
 */
final class AnthropicRequestEncoder {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String JSON_INSTRUCTION = "Respond with only a single valid JSON object. Do not wrap it in"
      + " Markdown code fences and do not write anything before or after it.";
  static final String JSON_SCHEMA_INSTRUCTION = "Respond with only a single valid JSON object that"
      + " conforms to this JSON Schema:\n";

  private final int defaultMaxTokens;

  AnthropicRequestEncoder(int defaultMaxTokens) {
    this.defaultMaxTokens = defaultMaxTokens;
  }

  /**
   * Extra (untyped) parameters this encoder carries; any other is unsupported. {@code thinking} goes
   * as sent (an Anthropic client's own, or what per-target adaptation mapped {@code reasoning_effort} to).
   */
  static final java.util.Set<String> CARRIED_EXTRAS = java.util.Set.of("top_k", "thinking");

  ObjectNode encode(ChatCompletionRequest r, String model) {
    return encode(r, model, 0);
  }

  /** @param targetMaxTokens the model's configured default max_tokens, 0 for the adapter's */
  ObjectNode encode(ChatCompletionRequest r, String model, int targetMaxTokens) {
    if (r.n() != null && r.n() != 1) {
      throw new WireFormatException("n", "provider anthropic returns exactly one choice; 'n' must be 1");
    }
    AnthropicMessages.Converted converted = AnthropicMessages.convert(r.messages());
    List<String> system = new ArrayList<>(converted.system());
    String jsonInstruction = jsonInstruction(r.responseFormat());
    if (jsonInstruction != null) {
      system.add(jsonInstruction);
    }

    ObjectNode o = F.objectNode();
    o.put("model", model);
    o.put("max_tokens", maxTokens(r, targetMaxTokens > 0 ? targetMaxTokens : defaultMaxTokens));
    if (system.size() == 1) {
      o.put("system", system.get(0));
    } else if (!system.isEmpty()) {
      ArrayNode blocks = o.putArray("system");
      system.forEach(text -> blocks.addObject().put("type", "text").put("text", text));
    }
    o.set("messages", converted.messages());
    if (r.stop() != null && !r.stop().isEmpty()) {
      ArrayNode stops = o.putArray("stop_sequences");
      r.stop().forEach(stops::add);
    }
    if (r.temperature() != null) {
      // OpenAI accepts 0..2, Anthropic 0..1: clamp rather than fail a request that worked elsewhere.
      o.put("temperature", Math.max(0.0, Math.min(1.0, r.temperature())));
    }
    if (r.topP() != null) {
      o.put("top_p", r.topP());
    }
    JsonNode topK = r.extra().get("top_k");
    if (topK != null && topK.isIntegralNumber()) {
      o.put("top_k", topK.intValue());
    }
    JsonNode thinking = r.extra().get("thinking");
    if (thinking != null && thinking.isObject()) {
      o.set("thinking", thinking);
    }
    boolean hasTools = r.tools() != null && !r.tools().isEmpty();
    if (hasTools) {
      o.set("tools", tools(r.tools()));
      ObjectNode choice = toolChoice(r.toolChoice(), r.parallelToolCalls());
      if (choice != null) {
        o.set("tool_choice", choice);
      }
    }
    if (r.user() != null) {
      o.putObject("metadata").put("user_id", r.user());
    }
    if (r.stream()) {
      o.put("stream", true);
    }
    return o;
  }

  /** The max_tokens to send: the client's, else the target's default, else the adapter's. */
  int maxTokensFor(ChatCompletionRequest r, int targetMaxTokens) {
    return maxTokens(r, targetMaxTokens > 0 ? targetMaxTokens : defaultMaxTokens);
  }

  private static int maxTokens(ChatCompletionRequest r, int fallback) {
    if (r.maxCompletionTokens() != null) {
      return r.maxCompletionTokens();
    }
    return r.maxTokens() != null ? r.maxTokens() : fallback;
  }

  private static ArrayNode tools(List<ToolDefinition> tools) {
    ArrayNode out = F.arrayNode();
    for (int i = 0; i < tools.size(); i++) {
      ToolDefinition t = tools.get(i);
      if (!"function".equals(t.type())) {
        throw new WireFormatException("tools[" + i + "].type",
            "tool type '" + t.type() + "' is not supported by provider anthropic (function is)");
      }
      String path = "tools[" + i + "].function";
      ToolNames.check(t.name(), path + ".name", "anthropic");
      ObjectNode tn = out.addObject().put("name", t.name());
      if (t.description() != null) {
        tn.put("description", t.description());
      }
      if (t.parameters() != null) {
        tn.set("input_schema", ObjectRootSchemas.adapt(t.parameters(), path + ".parameters", "'" + t.name() + "'",
            "anthropic"));
      } else {
        tn.putObject("input_schema").put("type", "object").putObject("properties");
      }
    }
    return out;
  }

  /**
   * The tool-related parameters {@link #encode} rewrites (see {@link dev.sluice.provider.ToolAdaptations}):
   * parameters schemas given an object root, {@code strict} flags not sent, tool-call ids rewritten.
   */
  static List<String> toolAdaptations(ChatCompletionRequest r) {
    List<String> adapted = new ArrayList<>();
    if (r.tools() != null) {
      tools(r.tools()); // refuses what encode would refuse
      for (int i = 0; i < r.tools().size(); i++) {
        ToolDefinition t = r.tools().get(i);
        String path = "tools[" + i + "].function";
        if (t.parameters() != null && ObjectRootSchemas.adapt(t.parameters(), path + ".parameters", "'" + t.name()
            + "'", "anthropic") != t.parameters()) {
          adapted.add(path + ".parameters");
        }
        if (t.strict() != null) {
          adapted.add(path + ".strict");
        }
      }
    }
    if (AnthropicMessages.rewritesToolCallIds(r.messages())) {
      adapted.add("tool_call_ids");
    }
    return adapted;
  }

  /** OpenAI tool_choice and parallel_tool_calls → Anthropic's tool_choice object, or null for none. */
  private static ObjectNode toolChoice(ToolChoice choice, Boolean parallelToolCalls) {
    ObjectNode tc = null;
    if (choice != null) {
      tc = F.objectNode();
      switch (choice.mode()) {
        case "required" -> tc.put("type", "any");
        case "none" -> tc.put("type", "none");
        case "function" -> tc.put("type", "tool").put("name", choice.functionName());
        default -> tc.put("type", "auto");
      }
    }
    boolean none = tc != null && "none".equals(tc.path("type").asText());
    if (Boolean.FALSE.equals(parallelToolCalls) && !none) {
      if (tc == null) {
        tc = F.objectNode().put("type", "auto");
      }
      tc.put("disable_parallel_tool_use", true);
    }
    return tc;
  }

  /** Anthropic has no JSON mode: the system prompt asks for it (with the schema, when there is one). */
  private static String jsonInstruction(ResponseFormat format) {
    if (format == null || format.type() == null) {
      return null;
    }
    return switch (format.type()) {
      case "text" -> null;
      case "json_object" -> JSON_INSTRUCTION;
      case "json_schema" -> {
        JsonNode spec = format.jsonSchema();
        JsonNode schema = spec == null ? null : spec.get("schema");
        if (schema == null || schema.isNull()) {
          yield JSON_INSTRUCTION;
        }
        yield JSON_SCHEMA_INSTRUCTION + schema + "\n" + JSON_INSTRUCTION;
      }
      default -> throw new WireFormatException("response_format.type", "response_format type '"
          + format.type() + "' is not supported (text, json_object and json_schema are)");
    };
  }
}
