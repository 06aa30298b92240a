package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ResponseFormat;
import dev.sluice.api.openai.ToolChoice;
import dev.sluice.api.openai.ToolDefinition;
import dev.sluice.api.openai.WireFormatException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * OpenAI tools, tool_choice and the json_schema response format → Gemini's
 * {@code functionDeclarations}, {@code toolConfig} and {@code responseSchema}, schemas translated
 * by {@link GeminiSchemas}. Names Gemini refuses and schemas it cannot express are refused with the
 * field named. Each rewrite is reported for {@code x-sluice-adapted-params}.
 */
final class GeminiTools {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Function names Gemini accepts: a letter or underscore first, then letters, digits, {@code _ . : -}; 64 at most. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

  private GeminiTools() {}

  /**
   * The tool-related parameters the encoder rewrites (see {@link dev.sluice.provider.ToolAdaptations}):
   * it runs the same translation on a scratch tree.
   */
  static List<String> adaptations(ChatCompletionRequest r) {
    List<String> adapted = new ArrayList<>();
    put(r, F.objectNode(), adapted);
    responseSchema(r, adapted);
    return adapted;
  }

  /** Adds {@code tools} and {@code toolConfig} for the request's tools and tool_choice. */
  static void put(ChatCompletionRequest r, ObjectNode root, List<String> adapted) {
    if (r.tools() != null && !r.tools().isEmpty()) {
      ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
      for (int i = 0; i < r.tools().size(); i++) {
        ToolDefinition t = r.tools().get(i);
        String path = "tools[" + i + "].function";
        if (t.name() == null || !NAME.matcher(t.name()).matches()) {
          throw new WireFormatException(path + ".name", "tool name '" + t.name() + "' is not accepted by provider"
              + " gemini (a letter or '_' first, then letters, digits, '_', '.', ':' or '-'; at most 64)");
        }
        ObjectNode d = declarations.addObject().put("name", t.name());
        if (t.description() != null) {
          d.put("description", t.description());
        }
        Set<String> changes = new LinkedHashSet<>();
        JsonNode parameters = GeminiSchemas.parameters(t.parameters(), path + ".parameters",
            "tool '" + t.name() + "': its parameters schema", changes);
        if (parameters != null) {
          d.set("parameters", parameters);
        }
        if (!changes.isEmpty() && adapted != null) {
          adapted.add(path + ".parameters");
        }
        if (t.strict() != null && adapted != null) {
          adapted.add(path + ".strict"); // Gemini has no strict mode: the flag is not sent
        }
      }
    }
    ToolChoice choice = r.toolChoice();
    if (choice != null) {
      ObjectNode config = root.putObject("toolConfig").putObject("functionCallingConfig");
      switch (choice.mode()) {
        case "none" -> config.put("mode", "NONE");
        case "required" -> config.put("mode", "ANY");
        case "function" -> {
          config.put("mode", "ANY");
          config.putArray("allowedFunctionNames").add(choice.functionName());
        }
        default -> config.put("mode", "AUTO");
      }
    }
  }

  /** The json_schema response format's schema in Gemini's subset, or null when there is none. */
  static JsonNode responseSchema(ChatCompletionRequest r, List<String> adapted) {
    ResponseFormat format = r.responseFormat();
    if (format == null || !"json_schema".equals(format.type()) || format.jsonSchema() == null) {
      return null;
    }
    JsonNode schema = format.jsonSchema().get("schema");
    if (schema == null || !schema.isObject()) {
      return null;
    }
    Set<String> changes = new LinkedHashSet<>();
    JsonNode out = GeminiSchemas.translate(schema, "response_format.json_schema.schema",
        "response_format: its json_schema", changes);
    if (!changes.isEmpty() && adapted != null) {
      adapted.add("response_format.json_schema.schema");
    }
    return out;
  }

}
