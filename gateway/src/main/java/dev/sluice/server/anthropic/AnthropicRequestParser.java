package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.RequestFields.array;
import static dev.sluice.server.anthropic.RequestFields.blockType;
import static dev.sluice.server.anthropic.RequestFields.bool;
import static dev.sluice.server.anthropic.RequestFields.field;
import static dev.sluice.server.anthropic.RequestFields.integer;
import static dev.sluice.server.anthropic.RequestFields.invalid;
import static dev.sluice.server.anthropic.RequestFields.number;
import static dev.sluice.server.anthropic.RequestFields.object;
import static dev.sluice.server.anthropic.RequestFields.requiredObject;
import static dev.sluice.server.anthropic.RequestFields.requiredString;
import static dev.sluice.server.anthropic.RequestFields.string;
import static dev.sluice.server.anthropic.RequestFields.unexpectedTag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ResponseFormat;
import dev.sluice.api.openai.ToolChoice;
import dev.sluice.api.openai.ToolDefinition;
import dev.sluice.core.AnthropicBody;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.RequestJson;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Anthropic Messages request body → the canonical request. Validates as Anthropic does for what
 * the translation relies on, and names the bad field by its dotted path. Stateless.
 *
 * <p>Parameters without an OpenAI counterpart are kept in the canonical {@code extra} map under
 * their Anthropic names: {@code top_k}, and every top-level field this parser does not model
 * ({@code thinking}, {@code service_tier}, ...).
 */
final class AnthropicRequestParser {
  private static final Set<String> TYPED = Set.of("model", "messages", "system", "max_tokens", "stop_sequences",
      "stream", "temperature", "top_p", "top_k", "tools", "tool_choice", "metadata", "output_config", "output_format");

  private AnthropicRequestParser() {}

  /**
   * Parses {@code body}. {@code requireMaxTokens} is false for {@code count_tokens} requests, which
   * carry no {@code max_tokens}; {@code json} holds the body's size and depth limits.
   */
  static ChatCompletionRequest parse(Buffer body, boolean requireMaxTokens, RequestJson json) {
    return parseRequest(body, requireMaxTokens, json).body();
  }

  /** As {@link #parse}, keeping the client's body next to the canonical form (see {@link AnthropicBody}). */
  static ChatRequest parseRequest(Buffer body, boolean requireMaxTokens, RequestJson json) {
    JsonNode root;
    try {
      root = json.parse(body);
    } catch (RequestJson.Refused e) {
      throw invalid(null, "There was an issue with the request body: "
          + (e.limit() ? e.getMessage() : "it is not valid JSON"));
    }
    if (root == null || !root.isObject()) {
      throw invalid(null, "The request body must be a JSON object");
    }
    String model = requiredString(root, "model", "model");
    Integer maxTokens = integer(root, "max_tokens", "max_tokens");
    if (maxTokens == null && requireMaxTokens) {
      throw invalid("max_tokens", "Field required");
    }
    if (maxTokens != null && maxTokens < 1) {
      throw invalid("max_tokens", "Input should be greater than or equal to 1");
    }
    JsonNode msgs = array(root, "messages", "messages");
    if (msgs == null) {
      throw invalid("messages", "Field required");
    }
    if (msgs.isEmpty()) {
      throw invalid("messages", "at least one message is required");
    }
    List<ChatMessage> messages = new ArrayList<>(msgs.size() + 1);
    system(field(root, "system"), messages);
    for (int i = 0; i < msgs.size(); i++) {
      AnthropicMessageParser.parse(msgs.get(i), "messages." + i, messages);
    }

    Map<String, JsonNode> extra = new LinkedHashMap<>();
    Integer topK = integer(root, "top_k", "top_k");
    if (topK != null) {
      extra.put("top_k", IntNode.valueOf(topK));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (!TYPED.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue());
      }
    }

    boolean stream = Boolean.TRUE.equals(bool(root, "stream", "stream"));
    List<ToolDefinition> tools = tools(array(root, "tools", "tools"));
    ToolChoice toolChoice = null;
    Boolean parallelToolCalls = null;
    JsonNode choice = object(root, "tool_choice", "tool_choice");
    if (choice != null) {
      toolChoice = toolChoice(choice);
      if (Boolean.TRUE.equals(bool(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use"))) {
        parallelToolCalls = false;
      }
    }
    if (tools == null) {
      // OpenAI rejects tool_choice and parallel_tool_calls without tools; without tools they mean nothing.
      toolChoice = null;
      parallelToolCalls = null;
    }
    JsonNode metadata = object(root, "metadata", "metadata");
    String user = metadata == null ? null : string(metadata, "user_id", "metadata.user_id");

    ChatCompletionRequest parsed = new ChatCompletionRequest(model, messages, stream, stream ? Boolean.TRUE : null,
        maxTokens, null, number(root, "temperature", "temperature"), number(root, "top_p", "top_p"), null,
        stopSequences(array(root, "stop_sequences", "stop_sequences")), tools, toolChoice, parallelToolCalls,
        responseFormat(root), user, extra);
    return new ChatRequest(parsed, new AnthropicBody((ObjectNode) root, parsed));
  }

  /**
   * Structured output: {@code output_config.format} (and its beta name {@code output_format}),
   * {@code {"type":"json_schema","schema":{...}}} → OpenAI's {@code response_format} json_schema.
   */
  private static ResponseFormat responseFormat(JsonNode root) {
    JsonNode config = object(root, "output_config", "output_config");
    JsonNode format = config != null ? object(config, "format", "output_config.format")
        : object(root, "output_format", "output_format");
    if (format == null) {
      return null;
    }
    String path = config != null ? "output_config.format" : "output_format";
    String type = string(format, "type", path + ".type");
    if (!"json_schema".equals(type)) {
      throw invalid(path + ".type", path + ".type: only json_schema is supported, got '" + type + "'");
    }
    JsonNode schema = object(format, "schema", path + ".schema");
    if (schema == null) {
      throw invalid(path + ".schema", path + ".schema: Field required");
    }
    ObjectNode jsonSchema = JsonNodeFactory.instance.objectNode().put("name", "output");
    jsonSchema.set("schema", schema);
    return new ResponseFormat("json_schema", jsonSchema);
  }

  /** {@code system}: a string, or text blocks → one leading system message (nothing when empty). */
  private static void system(JsonNode system, List<ChatMessage> out) {
    if (system == null) {
      return;
    }
    if (system.isTextual()) {
      if (!system.textValue().isEmpty()) {
        out.add(ChatMessage.of("system", system.textValue()));
      }
      return;
    }
    if (!system.isArray()) {
      throw invalid("system", "Input should be a valid string or a list of text blocks");
    }
    List<ContentPart> parts = new ArrayList<>(system.size());
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      String type = blockType(block, "system." + i);
      if (!type.equals("text")) {
        throw unexpectedTag("system." + i + ".type", type, "'text'");
      }
      parts.add(ContentPart.text(requiredString(block, "text", "system." + i + ".text")));
    }
    if (parts.size() == 1) {
      out.add(ChatMessage.of("system", parts.get(0).text()));
    } else if (!parts.isEmpty()) {
      out.add(new ChatMessage("system", MessageContent.parts(parts), null, null, null, null));
    }
  }

  private static List<String> stopSequences(JsonNode stops) {
    if (stops == null || stops.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>(stops.size());
    for (int i = 0; i < stops.size(); i++) {
      if (!stops.get(i).isTextual()) {
        throw invalid("stop_sequences." + i, "Input should be a valid string");
      }
      out.add(stops.get(i).textValue());
    }
    return out;
  }

  /** Custom tools (name, description, input_schema) → function tools; server tools are refused. */
  private static List<ToolDefinition> tools(JsonNode tools) {
    if (tools == null || tools.isEmpty()) {
      return null;
    }
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String p = "tools." + i;
      if (!tool.isObject()) {
        throw invalid(p, "Input should be a valid dictionary or object to extract fields from");
      }
      String type = string(tool, "type", p + ".type");
      if (type != null && !type.equals("custom")) {
        throw invalid(p + ".type", "tool type '" + type
            + "' is not supported by this gateway (custom tools with an input_schema are)");
      }
      out.add(new ToolDefinition("function", requiredString(tool, "name", p + ".name"),
          string(tool, "description", p + ".description"),
          requiredObject(tool, "input_schema", p + ".input_schema"), null));
    }
    return out;
  }

  /** auto / any / tool / none → auto / required / the named function / none. */
  private static ToolChoice toolChoice(JsonNode choice) {
    String type = requiredString(choice, "type", "tool_choice.type");
    return switch (type) {
      case "auto" -> new ToolChoice("auto", null);
      case "any" -> new ToolChoice("required", null);
      case "none" -> new ToolChoice("none", null);
      case "tool" -> ToolChoice.named(requiredString(choice, "name", "tool_choice.name"));
      default -> throw unexpectedTag("tool_choice.type", type, "'auto', 'any', 'tool', 'none'");
    };
  }
}
