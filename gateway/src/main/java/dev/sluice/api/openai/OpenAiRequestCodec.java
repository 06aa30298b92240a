package dev.sluice.api.openai;

import static dev.sluice.api.openai.JsonFields.array;
import static dev.sluice.api.openai.JsonFields.bool;
import static dev.sluice.api.openai.JsonFields.field;
import static dev.sluice.api.openai.JsonFields.integer;
import static dev.sluice.api.openai.JsonFields.number;
import static dev.sluice.api.openai.JsonFields.object;
import static dev.sluice.api.openai.JsonFields.requiredString;
import static dev.sluice.api.openai.JsonFields.string;
import static dev.sluice.api.openai.JsonFields.stringOrArray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Chat request JSON ⇄ {@link ChatCompletionRequest}. Decoding validates and names the bad field. */
public final class OpenAiRequestCodec {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> TYPED = Set.of("model", "messages", "stream", "stream_options",
      "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "tools",
      "tool_choice", "parallel_tool_calls", "response_format", "user");
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private OpenAiRequestCodec() {}

  public static ChatCompletionRequest decode(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new WireFormatException(null, "the request body must be a JSON object");
    }
    String model = requiredString(body, "model", null);
    JsonNode msgs = array(body, "messages", null);
    if (msgs == null || msgs.isEmpty()) {
      throw new WireFormatException("messages", "'messages' is required and must be a non-empty array");
    }
    List<ChatMessage> messages = new ArrayList<>(msgs.size());
    for (int i = 0; i < msgs.size(); i++) {
      messages.add(decodeMessage(msgs.get(i), "messages[" + i + "]"));
    }
    Boolean stream = bool(body, "stream", null);
    JsonNode streamOptions = object(body, "stream_options", null);
    Boolean includeUsage = streamOptions == null ? null
        : bool(streamOptions, "include_usage", "stream_options");
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = body.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!TYPED.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue());
      }
    }
    return new ChatCompletionRequest(model, messages, Boolean.TRUE.equals(stream), includeUsage,
        integer(body, "max_tokens", null),
        integer(body, "max_completion_tokens", null),
        number(body, "temperature", null), number(body, "top_p", null),
        integer(body, "n", null), stringOrArray(body, "stop", null), decodeTools(body),
        decodeToolChoice(field(body, "tool_choice")),
        bool(body, "parallel_tool_calls", null),
        decodeResponseFormat(object(body, "response_format", null)),
        string(body, "user", null), extra);
  }

  static ChatMessage decodeMessage(JsonNode m, String path) {
    if (m == null || !m.isObject()) {
      throw new WireFormatException(path, "'" + path + "' must be an object");
    }
    String role = requiredString(m, "role", path);
    if (!ROLES.contains(role)) {
      throw new WireFormatException(path + ".role", "'" + path + ".role' must be one of " + ROLES + ", got '" + role + "'");
    }
    List<ToolCall> toolCalls = null;
    JsonNode calls = array(m, "tool_calls", path);
    if (calls != null) {
      toolCalls = new ArrayList<>(calls.size());
      for (int i = 0; i < calls.size(); i++) {
        String p = path + ".tool_calls[" + i + "]";
        JsonNode c = calls.get(i);
        JsonNode fn = object(c, "function", p);
        if (fn == null) {
          throw new WireFormatException(p + ".function", "'" + p + ".function' is required");
        }
        toolCalls.add(new ToolCall(string(c, "id", p), typeOrFunction(c, p),
            requiredString(fn, "name", p + ".function"),
            argumentsText(fn, p + ".function.arguments")));
      }
    }
    return new ChatMessage(role, decodeContent(field(m, "content"), path),
        string(m, "name", path), toolCalls, string(m, "tool_call_id", path),
        string(m, "reasoning_content", path));
  }

  private static String typeOrFunction(JsonNode node, String path) {
    String t = string(node, "type", path);
    return t == null ? "function" : t;
  }

  private static String argumentsText(JsonNode fn, String path) {
    JsonNode a = field(fn, "arguments");
    if (a == null) {
      return "";
    }
    // Some clients send arguments as an object; upstreams expect the JSON text.
    return a.isTextual() ? a.textValue() : a.toString();
  }

  /** @param message the path of the message holding this content, for error messages */
  static MessageContent decodeContent(JsonNode c, String message) {
    if (c == null) {
      return null;
    }
    if (c.isTextual()) {
      return MessageContent.text(c.textValue());
    }
    String path = JsonFields.path(message, "content");
    if (!c.isArray()) {
      throw new WireFormatException(path, "'" + path + "' must be a string or an array of content parts");
    }
    List<ContentPart> parts = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      JsonNode part = c.get(i);
      String p = path + "[" + i + "]";
      if (!part.isObject()) {
        throw new WireFormatException(p, "'" + p + "' must be an object");
      }
      String type = requiredString(part, "type", p);
      switch (type) {
        case "text" -> parts.add(ContentPart.text(requiredString(part, "text", p)));
        case "image_url" -> {
          JsonNode img = field(part, "image_url");
          if (img == null) {
            throw new WireFormatException(p + ".image_url", "'" + p + ".image_url' is required");
          }
          String url = img.isTextual() ? img.textValue() : requiredString(img, "url", p + ".image_url");
          parts.add(ContentPart.image(url, img.isObject() ? string(img, "detail", p + ".image_url") : null));
        }
        default -> parts.add(new ContentPart(type, null, null, null, part));
      }
    }
    return MessageContent.parts(parts);
  }

  private static List<ToolDefinition> decodeTools(JsonNode body) {
    JsonNode tools = array(body, "tools", null);
    if (tools == null) {
      return null;
    }
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      String p = "tools[" + i + "]";
      JsonNode t = tools.get(i);
      JsonNode fn = object(t, "function", p);
      if (fn == null) {
        throw new WireFormatException(p + ".function", "'" + p + ".function' is required");
      }
      String fp = p + ".function";
      out.add(new ToolDefinition(typeOrFunction(t, p), requiredString(fn, "name", fp),
          string(fn, "description", fp), object(fn, "parameters", fp), bool(fn, "strict", fp)));
    }
    return out;
  }

  private static ToolChoice decodeToolChoice(JsonNode tc) {
    if (tc == null) {
      return null;
    }
    if (tc.isTextual()) {
      String mode = tc.textValue();
      if (!mode.equals("auto") && !mode.equals("none") && !mode.equals("required")) {
        throw new WireFormatException("tool_choice", "'tool_choice' must be auto, none, required or a named function");
      }
      return new ToolChoice(mode, null);
    }
    JsonNode fn = object(tc, "function", "tool_choice");
    if (fn == null) {
      throw new WireFormatException("tool_choice", "'tool_choice' must be auto, none, required or a named function");
    }
    return ToolChoice.named(requiredString(fn, "name", "tool_choice.function"));
  }

  private static ResponseFormat decodeResponseFormat(JsonNode rf) {
    if (rf == null) {
      return null;
    }
    return new ResponseFormat(requiredString(rf, "type", "response_format"),
        object(rf, "json_schema", "response_format"));
  }

  /**
   * The request as JSON, in OpenAI's field order. {@code forceIncludeUsage} asks a streaming
   * upstream for the final usage chunk whatever the client asked (Sluice needs it for accounting).
   */
  public static ObjectNode encode(ChatCompletionRequest r, boolean forceIncludeUsage) {
    ObjectNode o = F.objectNode();
    o.put("model", r.model());
    ArrayNode msgs = o.putArray("messages");
    for (ChatMessage m : r.messages()) {
      msgs.add(encodeMessage(m));
    }
    if (r.stream()) {
      o.put("stream", true);
      boolean usage = forceIncludeUsage || Boolean.TRUE.equals(r.includeUsage());
      if (usage || r.includeUsage() != null) {
        o.putObject("stream_options").put("include_usage", usage);
      }
    }
    putIfSet(o, "max_tokens", r.maxTokens());
    putIfSet(o, "max_completion_tokens", r.maxCompletionTokens());
    if (r.temperature() != null) {
      o.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      o.put("top_p", r.topP());
    }
    putIfSet(o, "n", r.n());
    if (r.stop() != null) {
      ArrayNode stop = o.putArray("stop");
      r.stop().forEach(stop::add);
    }
    if (r.tools() != null) {
      ArrayNode tools = o.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode tn = tools.addObject().put("type", t.type());
        ObjectNode fn = tn.putObject("function").put("name", t.name());
        if (t.description() != null) {
          fn.put("description", t.description());
        }
        if (t.parameters() != null) {
          fn.set("parameters", t.parameters());
        }
        if (t.strict() != null) {
          fn.put("strict", t.strict());
        }
      }
    }
    if (r.toolChoice() != null) {
      ToolChoice tc = r.toolChoice();
      if ("function".equals(tc.mode())) {
        o.putObject("tool_choice").put("type", "function").putObject("function").put("name", tc.functionName());
      } else {
        o.put("tool_choice", tc.mode());
      }
    }
    if (r.parallelToolCalls() != null) {
      o.put("parallel_tool_calls", r.parallelToolCalls());
    }
    if (r.responseFormat() != null) {
      ObjectNode rf = o.putObject("response_format").put("type", r.responseFormat().type());
      if (r.responseFormat().jsonSchema() != null) {
        rf.set("json_schema", r.responseFormat().jsonSchema());
      }
    }
    if (r.user() != null) {
      o.put("user", r.user());
    }
    r.extra().forEach(o::set);
    return o;
  }

  /** One message as OpenAI JSON. */
  public static ObjectNode encodeMessage(ChatMessage m) {
    ObjectNode o = F.objectNode().put("role", m.role());
    if (m.content() == null) {
      o.putNull("content");
    } else if (m.content().text() != null) {
      o.put("content", m.content().text());
    } else {
      ArrayNode parts = o.putArray("content");
      for (ContentPart p : m.content().parts()) {
        if (p.raw() != null) {
          parts.add(p.raw());
        } else if ("text".equals(p.type())) {
          parts.addObject().put("type", "text").put("text", p.text());
        } else {
          ObjectNode img = parts.addObject().put("type", "image_url").putObject("image_url").put("url", p.imageUrl());
          if (p.imageDetail() != null) {
            img.put("detail", p.imageDetail());
          }
        }
      }
    }
    if (m.name() != null) {
      o.put("name", m.name());
    }
    if (m.toolCalls() != null) {
      ArrayNode calls = o.putArray("tool_calls");
      for (ToolCall c : m.toolCalls()) {
        ObjectNode cn = calls.addObject();
        if (c.id() != null) {
          cn.put("id", c.id());
        }
        cn.put("type", c.type() == null ? "function" : c.type());
        cn.putObject("function").put("name", c.name()).put("arguments", c.arguments());
      }
    }
    if (m.toolCallId() != null) {
      o.put("tool_call_id", m.toolCallId());
    }
    if (m.reasoningContent() != null) {
      o.put("reasoning_content", m.reasoningContent());
    }
    return o;
  }

  private static void putIfSet(ObjectNode o, String name, Integer v) {
    if (v != null) {
      o.put(name, v);
    }
  }
}
