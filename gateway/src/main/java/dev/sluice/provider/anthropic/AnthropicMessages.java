package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.provider.ToolCallIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI messages → Anthropic {@code system} texts and alternating {@code messages} turns.
 *
 * <p>Anthropic wants strictly alternating user/assistant turns, tool results as {@code tool_result}
 * blocks inside a user turn (first in it), and no empty text blocks. So: system and developer
 * messages move to the top-level system prompt, wherever they stood; tool messages become
 * tool_result blocks of a user turn; consecutive turns of one role are merged; empty turns dropped.
 * Tool-call ids Anthropic would refuse (characters outside {@code [A-Za-z0-9_-]}, repeats) are
 * rewritten consistently by {@link ToolCallIds}, so each result still names its call.
 */
final class AnthropicMessages {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Where the converted conversation goes. */
  record Converted(List<String> system, ArrayNode messages) {}

  private AnthropicMessages() {}

  static Converted convert(List<ChatMessage> messages) {
    return convert(messages, new ToolCallIds(ToolCallIds.Format.ANTHROPIC));
  }

  /** Whether {@link #convert} changes a tool-call id (ids from another provider, repeated ids). */
  static boolean rewritesToolCallIds(List<ChatMessage> messages) {
    ToolCallIds ids = new ToolCallIds(ToolCallIds.Format.ANTHROPIC);
    for (ChatMessage m : messages) {
      if (m.toolCalls() != null) {
        m.toolCalls().forEach(c -> ids.call(c.id()));
      }
      if ("tool".equals(m.role())) {
        ids.result(m.toolCallId());
      }
    }
    return ids.rewrote();
  }

  /** @param ids tool-call ids as Anthropic accepts them, paired: one instance per request */
  private static Converted convert(List<ChatMessage> messages, ToolCallIds ids) {
    List<String> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      String path = "messages[" + i + "]";
      switch (m.role()) {
        case "system", "developer" -> systemTexts(m.content(), path + ".content", system);
        case "user" -> contentBlocks(m.content(), path + ".content", turn(turns, "user").blocks);
        case "assistant" -> assistant(m, path, ids, turn(turns, "assistant").blocks);
        case "tool" -> turn(turns, "user").toolResults.add(toolResult(m, path, ids));
        default -> throw new WireFormatException(path + ".role", "role '" + m.role()
            + "' is not supported by provider anthropic; send tool results as role 'tool'");
      }
    }
    ArrayNode out = F.arrayNode();
    for (Turn t : turns) {
      if (!t.isEmpty()) {
        ObjectNode msg = out.addObject().put("role", t.role);
        ArrayNode content = msg.putArray("content");
        content.addAll(t.toolResults); // Anthropic wants tool results before any text of the turn
        content.addAll(t.blocks);
      }
    }
    return new Converted(system, out);
  }

  /** The turn of {@code role} to add to: the last one when it has that role, else a new one. */
  private static Turn turn(List<Turn> turns, String role) {
    while (!turns.isEmpty() && turns.get(turns.size() - 1).isEmpty()) {
      turns.remove(turns.size() - 1); // an empty turn must not keep two same-role turns apart
    }
    if (!turns.isEmpty() && turns.get(turns.size() - 1).role.equals(role)) {
      return turns.get(turns.size() - 1);
    }
    Turn t = new Turn(role);
    turns.add(t);
    return t;
  }

  private static void systemTexts(MessageContent content, String path, List<String> system) {
    if (content == null) {
      return;
    }
    if (content.text() != null) {
      if (!content.text().isEmpty()) {
        system.add(content.text());
      }
      return;
    }
    for (int j = 0; j < content.parts().size(); j++) {
      ContentPart part = content.parts().get(j);
      if (!"text".equals(part.type())) {
        throw new WireFormatException(path + "[" + j + "]",
            "system and developer messages may only hold text parts for provider anthropic");
      }
      if (!part.text().isEmpty()) {
        system.add(part.text());
      }
    }
  }

  private static void assistant(ChatMessage m, String path, ToolCallIds ids, ArrayNode blocks) {
    // reasoning_content is not sent back: Anthropic only accepts its own signed thinking blocks.
    contentBlocks(m.content(), path + ".content", blocks);
    if (m.toolCalls() == null) {
      return;
    }
    for (int j = 0; j < m.toolCalls().size(); j++) {
      ToolCall call = m.toolCalls().get(j);
      String p = path + ".tool_calls[" + j + "]";
      if (call.id() == null || call.id().isEmpty()) {
        throw new WireFormatException(p + ".id", "'" + p + ".id' is required by provider anthropic");
      }
      ObjectNode input = call.arguments() == null || call.arguments().isBlank()
          ? F.objectNode() : AnthropicJson.parseObject(call.arguments());
      if (input == null) {
        throw new WireFormatException(p + ".function.arguments",
            "'" + p + ".function.arguments' must be a JSON object encoded as a string");
      }
      ObjectNode block = blocks.addObject().put("type", "tool_use").put("id", ids.call(call.id())).put("name", call.name());
      block.set("input", input);
    }
  }

  private static ObjectNode toolResult(ChatMessage m, String path, ToolCallIds ids) {
    if (m.toolCallId() == null || m.toolCallId().isEmpty()) {
      throw new WireFormatException(path + ".tool_call_id", "'" + path + ".tool_call_id' is required");
    }
    ObjectNode block = F.objectNode().put("type", "tool_result").put("tool_use_id", ids.result(m.toolCallId()));
    MessageContent content = m.content();
    if (content != null && content.text() != null) {
      if (!content.text().isEmpty()) {
        block.put("content", content.text());
      }
    } else if (content != null) {
      ArrayNode parts = F.arrayNode();
      contentBlocks(content, path + ".content", parts);
      if (!parts.isEmpty()) {
        block.set("content", parts);
      }
    }
    return block;
  }

  /** Text and image parts → Anthropic blocks; empty text is skipped (Anthropic rejects it). */
  static void contentBlocks(MessageContent content, String path, ArrayNode out) {
    if (content == null) {
      return;
    }
    if (content.text() != null) {
      if (!content.text().isEmpty()) {
        out.addObject().put("type", "text").put("text", content.text());
      }
      return;
    }
    for (int j = 0; j < content.parts().size(); j++) {
      ContentPart part = content.parts().get(j);
      String p = path + "[" + j + "]";
      switch (part.type()) {
        case "text" -> {
          if (!part.text().isEmpty()) {
            out.addObject().put("type", "text").put("text", part.text());
          }
        }
        case "image_url" -> out.add(image(part.imageUrl(), p + ".image_url.url"));
        default -> throw new WireFormatException(p, "content part type '" + part.type()
            + "' at '" + p + "' is not supported by provider anthropic (text and image_url are)");
      }
    }
  }

  /** A base64 {@code data:} URL becomes an inline image; an http(s) URL a URL image. */
  static ObjectNode image(String url, String path) {
    ObjectNode block = F.objectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    String lower = url.length() > 8 ? url.substring(0, 8).toLowerCase(Locale.ROOT) : url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("data:")) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring(5, comma);
      int semicolon = meta.indexOf(';');
      String mediaType = semicolon < 0 ? "" : meta.substring(0, semicolon);
      if (comma < 0 || !meta.endsWith(";base64") || mediaType.isEmpty()) {
        throw badImage(path);
      }
      source.put("type", "base64").put("media_type", mediaType).put("data", url.substring(comma + 1));
    } else if (lower.startsWith("https://") || lower.startsWith("http://")) {
      source.put("type", "url").put("url", url);
    } else {
      throw badImage(path);
    }
    return block;
  }

  private static WireFormatException badImage(String path) {
    return new WireFormatException(path, "'" + path
        + "' must be an http(s) URL or a base64 data URL such as data:image/png;base64,...");
  }

  /** One Anthropic turn being built. */
  private static final class Turn {
    final String role;
    final ArrayNode toolResults = F.arrayNode();
    final ArrayNode blocks = F.arrayNode();

    Turn(String role) {
      this.role = role;
    }

    boolean isEmpty() {
      return toolResults.isEmpty() && blocks.isEmpty();
    }
  }
}
