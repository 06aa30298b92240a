package dev.sluice.provider.bedrock;

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
import java.util.List;
import java.util.Set;

/**
 * The canonical request → a Converse / ConverseStream body: {@code system}, {@code messages},
 * {@code inferenceConfig}, {@code toolConfig}, and {@code additionalModelRequestFields} for the
 * model-specific {@code top_k} and {@code thinking}. Builds a fresh tree; never writes into the
 * request. JSON mode is asked for in the system prompt: Converse has no such switch for every model.
 */
final class BedrockRequestEncoder {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String JSON_INSTRUCTION = "Respond with only a single valid JSON object. Do not wrap it in"
      + " Markdown code fences and do not write anything before or after it.";
  static final String JSON_SCHEMA_INSTRUCTION = "Respond with only a single valid JSON object that"
      + " conforms to this JSON Schema:\n";
  /** Extra (untyped) parameters carried in additionalModelRequestFields; any other is unsupported. */
  static final Set<String> CARRIED_EXTRAS = Set.of("top_k", "thinking");

  private BedrockRequestEncoder() {}

  /** @param targetMaxTokens the model's configured default max_tokens, 0 to leave it to Bedrock */
  static ObjectNode encode(ChatCompletionRequest r, int targetMaxTokens) {
    if (r.n() != null && r.n() != 1) {
      throw new WireFormatException("n", "provider bedrock returns exactly one choice; 'n' must be 1");
    }
    ObjectNode root = F.objectNode();
    BedrockMessages.Converted converted = BedrockMessages.convert(r.messages());
    ArrayNode system = converted.system();
    String json = jsonInstruction(r.responseFormat());
    if (json != null) {
      system.addObject().put("text", json);
    }
    root.set("messages", converted.messages());
    if (!system.isEmpty()) {
      root.set("system", system);
    }
    ObjectNode inference = inferenceConfig(r, targetMaxTokens);
    if (!inference.isEmpty()) {
      root.set("inferenceConfig", inference);
    }
    ObjectNode toolConfig = toolConfig(r, converted.hasToolBlocks());
    if (toolConfig != null) {
      root.set("toolConfig", toolConfig);
    }
    ObjectNode additional = F.objectNode();
    JsonNode topK = r.extra().get("top_k");
    if (topK != null && topK.isIntegralNumber()) {
      additional.put("top_k", topK.intValue());
    }
    JsonNode thinking = r.extra().get("thinking");
    if (thinking != null && thinking.isObject()) {
      additional.set("thinking", thinking);
    }
    if (!additional.isEmpty()) {
      root.set("additionalModelRequestFields", additional);
    }
    return root;
  }

  private static ObjectNode inferenceConfig(ChatCompletionRequest r, int targetMaxTokens) {
    ObjectNode c = F.objectNode();
    Integer max = r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens();
    if (max != null) {
      c.put("maxTokens", max);
    } else if (targetMaxTokens > 0) {
      c.put("maxTokens", targetMaxTokens);
    }
    if (r.temperature() != null) {
      // OpenAI accepts 0..2; Bedrock's models take 0..1: clamp rather than fail a request that worked elsewhere.
      c.put("temperature", Math.max(0.0, Math.min(1.0, r.temperature())));
    }
    if (r.topP() != null) {
      c.put("topP", r.topP());
    }
    if (r.stop() != null && !r.stop().isEmpty()) {
      ArrayNode stops = c.putArray("stopSequences");
      r.stop().forEach(stops::add);
    }
    return c;
  }

  /**
   * Tools and the choice among them. Converse has no "none": with {@code tool_choice: none} the tools
   * are left out, unless the history holds tool blocks (Bedrock then requires the tool config), when
   * they go without a choice.
   */
  private static ObjectNode toolConfig(ChatCompletionRequest r, boolean historyHasToolBlocks) {
    if (r.tools() == null || r.tools().isEmpty()) {
      return null;
    }
    ToolChoice choice = r.toolChoice();
    boolean none = choice != null && "none".equals(choice.mode());
    if (none && !historyHasToolBlocks) {
      return null;
    }
    ObjectNode config = F.objectNode();
    config.set("tools", tools(r.tools()));
    if (choice != null && !none) {
      ObjectNode tc = config.putObject("toolChoice");
      switch (choice.mode()) {
        case "required" -> tc.putObject("any");
        case "function" -> tc.putObject("tool").put("name", choice.functionName());
        default -> tc.putObject("auto");
      }
    }
    return config;
  }

  static ArrayNode tools(List<ToolDefinition> tools) {
    ArrayNode out = F.arrayNode();
    for (int i = 0; i < tools.size(); i++) {
      ToolDefinition t = tools.get(i);
      if (!"function".equals(t.type())) {
        throw new WireFormatException("tools[" + i + "].type",
            "tool type '" + t.type() + "' is not supported by provider bedrock (function is)");
      }
      String path = "tools[" + i + "].function";
      ToolNames.check(t.name(), path + ".name", "bedrock");
      ObjectNode spec = out.addObject().putObject("toolSpec").put("name", t.name());
      if (t.description() != null && !t.description().isEmpty()) {
        spec.put("description", t.description());
      }
      JsonNode schema = t.parameters() == null
          ? F.objectNode().put("type", "object").set("properties", F.objectNode())
          : ObjectRootSchemas.adapt(t.parameters(), path + ".parameters", "'" + t.name() + "'", "bedrock");
      spec.putObject("inputSchema").set("json", schema);
    }
    return out;
  }

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
        yield schema == null || schema.isNull() ? JSON_INSTRUCTION
            : JSON_SCHEMA_INSTRUCTION + schema + "\n" + JSON_INSTRUCTION;
      }
      default -> throw new WireFormatException("response_format.type", "response_format type '"
          + format.type() + "' is not supported (text, json_object and json_schema are)");
    };
  }
}
