package dev.sluice.server.responses;

import static dev.sluice.server.responses.ResponsesFields.array;
import static dev.sluice.server.responses.ResponsesFields.bool;
import static dev.sluice.server.responses.ResponsesFields.field;
import static dev.sluice.server.responses.ResponsesFields.invalid;
import static dev.sluice.server.responses.ResponsesFields.kind;
import static dev.sluice.server.responses.ResponsesFields.number;
import static dev.sluice.server.responses.ResponsesFields.object;
import static dev.sluice.server.responses.ResponsesFields.positiveInt;
import static dev.sluice.server.responses.ResponsesFields.requiredString;
import static dev.sluice.server.responses.ResponsesFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ResponseFormat;
import dev.sluice.api.openai.ToolChoice;
import dev.sluice.api.openai.ToolDefinition;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.RequestJson;
import dev.sluice.core.ResponsesBody;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /v1/responses} body → the canonical request. {@code instructions} becomes the first
 * system message, {@code input} the messages ({@link ResponsesInputParser}), flat function tools and
 * {@code tool_choice} their chat forms, {@code text.format} the {@code response_format},
 * {@code reasoning.effort} {@code reasoning_effort}, {@code max_output_tokens}
 * {@code max_completion_tokens}. What only OpenAI can serve ({@code previous_response_id},
 * {@code store: true}, {@code conversation}, {@code background: true}, {@code prompt}, built-in tools
 * and their items, files by id) marks the request for native pass-through, naming the first such
 * field. Unknown top-level fields are refused, as OpenAI does. Stateless.
 */
final class ResponsesRequestParser {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Fields read here, fields echoed or ignored in translation, and fields that need OpenAI. */
  private static final Set<String> KNOWN = Set.of("model", "input", "instructions", "tools", "tool_choice",
      "parallel_tool_calls", "text", "reasoning", "max_output_tokens", "temperature", "top_p", "metadata", "stream",
      "user", "store", "previous_response_id", "conversation", "background", "prompt", "include", "truncation",
      "service_tier", "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "stream_options",
      "top_logprobs", "max_tool_calls");

  private ResponsesRequestParser() {}

  static ChatRequest parse(Buffer body, RequestJson json) {
    if (body == null || body.length() == 0) {
      throw invalid(null, "The request body is empty; send a JSON object");
    }
    JsonNode tree;
    try {
      tree = json.parse(body);
    } catch (RequestJson.Refused e) {
      throw invalid(null, "We could not parse the JSON body of your request: " + e.getMessage());
    }
    if (!tree.isObject()) {
      throw invalid(null, "The request body must be a JSON object, got " + kind(tree));
    }
    return parse((ObjectNode) tree);
  }

  static ChatRequest parse(ObjectNode o) {
    o.fieldNames().forEachRemaining(name -> {
      if (!KNOWN.contains(name)) {
        throw invalid(name, "Unrecognized request argument supplied: " + name);
      }
    });
    NativeNeeds natives = new NativeNeeds();
    String model = requiredString(o, "model", "model");
    if (model.isEmpty()) {
      throw invalid("model", "Invalid 'model': empty string. Expected a model name.");
    }
    nativeFields(o, natives);
    List<ChatMessage> messages = new ArrayList<>();
    String instructions = string(o, "instructions", "instructions");
    if (instructions != null) {
      messages.add(ChatMessage.of("system", instructions));
    }
    JsonNode input = field(o, "input");
    if (input == null && natives.first() == null) {
      throw invalid("input", "Missing required parameter: 'input'.");
    }
    ResponsesInputParser inputs = new ResponsesInputParser(natives);
    if (input != null) {
      inputs.parse(input);
    }
    messages.addAll(inputs.messages());
    if (messages.isEmpty() && natives.first() == null) {
      throw invalid("input", "Invalid 'input': empty array. Expected an array with at least one item.");
    }
    List<ToolDefinition> tools = ResponsesTools.tools(array(o, "tools", "tools"), natives);
    ToolChoice toolChoice = ResponsesTools.toolChoice(field(o, "tool_choice"), natives);
    object(o, "metadata", "metadata");
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    JsonNode reasoning = object(o, "reasoning", "reasoning");
    String effort = reasoning == null ? null : string(reasoning, "effort", "reasoning.effort");
    if (effort != null) {
      extra.put("reasoning_effort", F.textNode(effort));
    }
    boolean stream = Boolean.TRUE.equals(bool(o, "stream"));
    ChatCompletionRequest canonical = new ChatCompletionRequest(model, messages, stream, null, null,
        positiveInt(o, "max_output_tokens"), number(o, "temperature", 0, 2), number(o, "top_p", 0, 1), null, null,
        tools, toolChoice, bool(o, "parallel_tool_calls"), format(object(o, "text", "text")),
        string(o, "user", "user"), extra);
    return new ChatRequest(canonical, null, new ResponsesBody(o, natives.first()));
  }

  /** Top-level fields only OpenAI's stored state can serve. */
  private static void nativeFields(ObjectNode o, NativeNeeds natives) {
    if (string(o, "previous_response_id", "previous_response_id") != null) {
      natives.need("previous_response_id");
    }
    if (field(o, "conversation") != null) {
      natives.need("conversation");
    }
    if (Boolean.TRUE.equals(bool(o, "store"))) {
      natives.need("store");
    }
    if (Boolean.TRUE.equals(bool(o, "background"))) {
      natives.need("background");
    }
    if (field(o, "prompt") != null) {
      natives.need("prompt");
    }
  }

  /** {@code text.format}: text (none), json_object, or json_schema with name, schema, strict, description. */
  private static ResponseFormat format(JsonNode text) {
    JsonNode format = text == null ? null : object(text, "format", "text.format");
    if (format == null) {
      return null;
    }
    String type = requiredString(format, "type", "text.format.type");
    return switch (type) {
      case "text" -> null;
      case "json_object" -> new ResponseFormat("json_object", null);
      case "json_schema" -> {
        ObjectNode schema = F.objectNode();
        schema.put("name", requiredString(format, "name", "text.format.name"));
        JsonNode s = object(format, "schema", "text.format.schema");
        if (s == null) {
          throw invalid("text.format.schema", "Missing required parameter: 'text.format.schema'.");
        }
        schema.set("schema", s);
        String description = string(format, "description", "text.format.description");
        if (description != null) {
          schema.put("description", description);
        }
        Boolean strict = bool(format, "strict");
        if (strict != null) {
          schema.put("strict", strict);
        }
        yield new ResponseFormat("json_schema", schema);
      }
      default -> throw invalid("text.format.type", "Invalid value: '" + type
          + "'. Supported values are: 'text', 'json_object', and 'json_schema'.");
    };
  }
}
