package dev.sluice.server.responses;

import static dev.sluice.server.responses.ResponsesFields.field;
import static dev.sluice.server.responses.ResponsesFields.invalid;
import static dev.sluice.server.responses.ResponsesFields.kind;
import static dev.sluice.server.responses.ResponsesFields.requiredString;
import static dev.sluice.server.responses.ResponsesFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Responses {@code input} → canonical messages. A string is one user message; a list holds items:
 * messages (roles user, assistant, system, developer; content a string or {@code input_text} /
 * {@code input_image} / {@code output_text} parts), {@code function_call} items (joined to the
 * assistant message before them, as one OpenAI-shaped assistant turn with tool calls) and
 * {@code function_call_output} items (tool messages). {@code reasoning} items are dropped: their
 * encrypted content only means something to OpenAI. Items only OpenAI can act on (item references,
 * built-in tool calls, files by id) are noted in {@link NativeNeeds} and skipped: such a request is
 * passed through natively. Not thread-safe: one per parse.
 */
final class ResponsesInputParser {
  /** Item types of OpenAI's built-in tools and stored state: only a native pass-through keeps them. */
  private static final Set<String> NATIVE_ITEMS = Set.of("item_reference", "web_search_call", "file_search_call",
      "computer_call", "computer_call_output", "code_interpreter_call", "image_generation_call", "local_shell_call",
      "local_shell_call_output", "mcp_list_tools", "mcp_approval_request", "mcp_approval_response", "mcp_call",
      "custom_tool_call", "custom_tool_call_output", "shell_call", "shell_call_output", "apply_patch_call",
      "apply_patch_call_output", "compaction");
  private static final String ITEM_TYPES = "'message', 'function_call', 'function_call_output', 'reasoning', "
      + "or one of OpenAI's built-in tool items";

  private final NativeNeeds natives;
  private final List<ChatMessage> out = new ArrayList<>();

  ResponsesInputParser(NativeNeeds natives) {
    this.natives = natives;
  }

  List<ChatMessage> messages() {
    return out;
  }

  void parse(JsonNode input) {
    if (input.isTextual()) {
      out.add(ChatMessage.of("user", input.textValue()));
      return;
    }
    if (!input.isArray()) {
      throw invalid("input", "Invalid type for 'input': expected a string or an array of input items, but got "
          + kind(input) + " instead.");
    }
    for (int i = 0; i < input.size(); i++) {
      item(input.get(i), "input[" + i + "]");
    }
  }

  private void item(JsonNode item, String path) {
    if (item == null || !item.isObject()) {
      throw invalid(path, "Invalid type for '" + path + "': expected an object, but got "
          + (item == null ? "null" : kind(item)) + " instead.");
    }
    String type = string(item, "type", path + ".type");
    if (type == null || type.equals("message")) {
      message(item, path);
      return;
    }
    switch (type) {
      case "function_call" -> functionCall(item, path);
      case "function_call_output" -> out.add(new ChatMessage("tool", MessageContent.text(outputText(item, path)), null,
          null, requiredString(item, "call_id", path + ".call_id"), null));
      case "reasoning" -> { } // OpenAI's own (encrypted) reasoning: no other provider can read it
      default -> {
        if (!NATIVE_ITEMS.contains(type)) {
          throw invalid(path + ".type", "Invalid value: '" + type + "'. Supported values are: " + ITEM_TYPES + ".");
        }
        natives.need(path + ".type=" + type);
      }
    }
  }

  private void message(JsonNode item, String path) {
    String role = requiredString(item, "role", path + ".role");
    JsonNode content = field(item, "content");
    if (content == null) {
      throw invalid(path + ".content", "Missing required parameter: '" + path + ".content'.");
    }
    switch (role) {
      case "user", "system", "developer" -> {
        String canonical = role.equals("user") ? "user" : "system";
        out.add(new ChatMessage(canonical, content(content, path + ".content", role.equals("user")), null, null, null,
            null));
      }
      case "assistant" -> out.add(new ChatMessage("assistant", MessageContent.text(assistantText(content,
          path + ".content")), null, null, null, null));
      default -> throw invalid(path + ".role", "Invalid value: '" + role
          + "'. Supported values are: 'user', 'assistant', 'system', and 'developer'.");
    }
  }

  private MessageContent content(JsonNode content, String path, boolean imagesAllowed) {
    if (content.isTextual()) {
      return MessageContent.text(content.textValue());
    }
    if (!content.isArray()) {
      throw invalid(path, "Invalid type for '" + path + "': expected a string or an array of content parts, but got "
          + kind(content) + " instead.");
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String p = path + "[" + j + "]";
      String type = partType(part, p);
      switch (type) {
        case "input_text", "output_text" -> parts.add(ContentPart.text(requiredString(part, "text", p + ".text")));
        case "input_image" -> {
          String url = string(part, "image_url", p + ".image_url");
          if (url == null) {
            if (string(part, "file_id", p + ".file_id") == null) {
              throw invalid(p + ".image_url", "Missing required parameter: '" + p + ".image_url'.");
            }
            natives.need(p + ".file_id"); // an uploaded file: only OpenAI can read it
            continue;
          }
          if (!imagesAllowed) {
            throw invalid(p + ".type", "Invalid value: 'input_image'. Images are only allowed in user messages.");
          }
          parts.add(ContentPart.image(url, string(part, "detail", p + ".detail")));
        }
        case "input_file", "input_audio" -> natives.need(p + ".type=" + type);
        default -> throw invalid(p + ".type", "Invalid value: '" + type
            + "'. Supported values are: 'input_text', 'input_image', 'input_file', and 'output_text'.");
      }
    }
    if (parts.size() == 1 && "text".equals(parts.get(0).type())) {
      return MessageContent.text(parts.get(0).text());
    }
    return MessageContent.parts(parts);
  }

  /** An assistant turn's text: a string, or its {@code output_text} parts joined ({@code refusal} parts too). */
  private static String assistantText(JsonNode content, String path) {
    if (content.isTextual()) {
      return content.textValue();
    }
    if (!content.isArray()) {
      throw invalid(path, "Invalid type for '" + path + "': expected a string or an array of content parts, but got "
          + kind(content) + " instead.");
    }
    StringBuilder text = new StringBuilder();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String p = path + "[" + j + "]";
      switch (partType(part, p)) {
        case "output_text", "input_text" -> text.append(requiredString(part, "text", p + ".text"));
        case "refusal" -> text.append(requiredString(part, "refusal", p + ".refusal"));
        default -> throw invalid(p + ".type", "Invalid value: '" + part.get("type").textValue()
            + "'. Supported values are: 'output_text' and 'refusal'.");
      }
    }
    return text.toString();
  }

  private static String partType(JsonNode part, String path) {
    if (part == null || !part.isObject()) {
      throw invalid(path, "Invalid type for '" + path + "': expected an object, but got "
          + (part == null ? "null" : kind(part)) + " instead.");
    }
    return requiredString(part, "type", path + ".type");
  }

  /** A call joins the assistant message just before it (with the calls before it), else opens one. */
  private void functionCall(JsonNode item, String path) {
    ToolCall call = new ToolCall(requiredString(item, "call_id", path + ".call_id"), "function",
        requiredString(item, "name", path + ".name"), requiredString(item, "arguments", path + ".arguments"));
    ChatMessage last = out.isEmpty() ? null : out.get(out.size() - 1);
    if (last != null && "assistant".equals(last.role())) {
      List<ToolCall> calls = new ArrayList<>(last.toolCalls() == null ? List.of() : last.toolCalls());
      calls.add(call);
      MessageContent text = last.content() != null && last.content().text() != null && last.content().text().isEmpty()
          ? null : last.content();
      out.set(out.size() - 1, new ChatMessage("assistant", text, null, calls, null, null));
    } else {
      out.add(new ChatMessage("assistant", null, null, List.of(call), null, null));
    }
  }

  /** A tool output: a string, or its {@code input_text} parts joined. */
  private static String outputText(JsonNode item, String path) {
    JsonNode output = field(item, "output");
    if (output == null) {
      throw invalid(path + ".output", "Missing required parameter: '" + path + ".output'.");
    }
    if (output.isTextual()) {
      return output.textValue();
    }
    if (!output.isArray()) {
      throw invalid(path + ".output", "Invalid type for '" + path + ".output': expected a string or an array, but got "
          + kind(output) + " instead.");
    }
    StringBuilder text = new StringBuilder();
    for (int j = 0; j < output.size(); j++) {
      JsonNode part = output.get(j);
      String p = path + ".output[" + j + "]";
      if (!"input_text".equals(partType(part, p))) {
        throw invalid(p + ".type", "Invalid value: '" + part.get("type").textValue()
            + "'. Only 'input_text' tool outputs can be sent to every provider.");
      }
      text.append(requiredString(part, "text", p + ".text"));
    }
    return text.toString();
  }
}
