package dev.sluice.server.responses;

import static dev.sluice.server.responses.ResponsesFields.bool;
import static dev.sluice.server.responses.ResponsesFields.invalid;
import static dev.sluice.server.responses.ResponsesFields.kind;
import static dev.sluice.server.responses.ResponsesFields.object;
import static dev.sluice.server.responses.ResponsesFields.requiredString;
import static dev.sluice.server.responses.ResponsesFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ToolChoice;
import dev.sluice.api.openai.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Responses tools → canonical: the flat function shape ({@code {"type":"function","name",...}})
 * becomes a chat function tool; any other type is one of OpenAI's built-in tools (web_search,
 * file_search, code_interpreter, computer_use, image_generation, mcp ...) and marks the request for
 * native pass-through. {@code tool_choice} likewise. Stateless.
 */
final class ResponsesTools {
  private ResponsesTools() {}

  /** The function tools (null when none); built-in tools are noted in {@code natives} and left out. */
  static List<ToolDefinition> tools(JsonNode tools, NativeNeeds natives) {
    if (tools == null || tools.isEmpty()) {
      return null;
    }
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String path = "tools[" + i + "]";
      if (tool == null || !tool.isObject()) {
        throw invalid(path, "Invalid type for '" + path + "': expected an object, but got "
            + (tool == null ? "null" : kind(tool)) + " instead.");
      }
      String type = requiredString(tool, "type", path + ".type");
      if (!type.equals("function")) {
        natives.need(path + ".type=" + type);
        continue;
      }
      String name = requiredString(tool, "name", path + ".name");
      if (name.isEmpty()) {
        throw invalid(path + ".name", "Invalid '" + path + ".name': empty string. Expected a function name.");
      }
      out.add(new ToolDefinition("function", name, string(tool, "description", path + ".description"),
          object(tool, "parameters", path + ".parameters"), bool(tool, "strict")));
    }
    return out.isEmpty() ? null : out;
  }

  /** {@code auto|none|required}, {@code {"type":"function","name"}}, {@code allowed_tools}' mode; else native. */
  static ToolChoice toolChoice(JsonNode choice, NativeNeeds natives) {
    if (choice == null) {
      return null;
    }
    if (choice.isTextual()) {
      String mode = choice.textValue();
      if (!mode.equals("auto") && !mode.equals("none") && !mode.equals("required")) {
        throw invalid("tool_choice", "Invalid value: '" + mode + "'. Supported values are: 'auto', 'none', and 'required'.");
      }
      return new ToolChoice(mode, null);
    }
    if (!choice.isObject()) {
      throw invalid("tool_choice", "Invalid type for 'tool_choice': expected a string or an object, but got "
          + kind(choice) + " instead.");
    }
    String type = requiredString(choice, "type", "tool_choice.type");
    return switch (type) {
      case "function" -> ToolChoice.named(requiredString(choice, "name", "tool_choice.name"));
      case "allowed_tools" -> new ToolChoice(requiredString(choice, "mode", "tool_choice.mode"), null);
      default -> {
        natives.need("tool_choice.type=" + type);
        yield null;
      }
    };
  }
}
