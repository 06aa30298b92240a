package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.Json;
import dev.sluice.provider.ToolCallIds;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenAI messages → Converse {@code system} blocks and {@code messages}. Converse wants user and
 * assistant turns to alternate, so consecutive messages of one role (a user message after tool
 * results, several tool results) merge into one turn. Content blocks: {@code text}, {@code image}
 * (base64 bytes from a data URL; Bedrock cannot fetch http URLs), {@code toolUse} and
 * {@code toolResult}. Tool-call ids are rewritten where Bedrock would refuse them
 * ({@link ToolCallIds}, same rule as Anthropic's), results following their calls.
 */
final class BedrockMessages {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");

  record Converted(ArrayNode system, ArrayNode messages, boolean hasToolBlocks) {}

  private BedrockMessages() {}

  static Converted convert(List<ChatMessage> messages) {
    ArrayNode system = F.arrayNode();
    Turns turns = new Turns();
    ToolCallIds ids = new ToolCallIds(ToolCallIds.Format.ANTHROPIC);
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      String path = "messages[" + i + "]";
      switch (m.role()) {
        case "system", "developer" -> addText(m.content() == null ? null : m.content().joinedText(), system);
        case "user" -> userContent(m.content(), path + ".content", turns.open("user"));
        case "assistant" -> assistant(m, path, ids, turns);
        case "tool" -> {
          if (m.toolCallId() == null) {
            throw new WireFormatException(path + ".tool_call_id", "'" + path + ".tool_call_id' is required");
          }
          ObjectNode result = turns.open("user").addObject().putObject("toolResult")
              .put("toolUseId", ids.result(m.toolCallId()));
          result.putArray("content").addObject().put("text", m.content() == null ? "" : m.content().joinedText());
          turns.toolBlocks = true;
        }
        default -> throw new WireFormatException(path + ".role",
            "role '" + m.role() + "' is not supported by provider bedrock");
      }
    }
    return new Converted(system, turns.close(), turns.toolBlocks);
  }

  private static void assistant(ChatMessage m, String path, ToolCallIds ids, Turns turns) {
    ArrayNode blocks = turns.open("assistant");
    if (m.content() != null) {
      addText(m.content().joinedText(), blocks);
    }
    if (m.toolCalls() == null) {
      return;
    }
    for (int j = 0; j < m.toolCalls().size(); j++) {
      ToolCall call = m.toolCalls().get(j);
      String p = path + ".tool_calls[" + j + "]";
      if (call.id() == null || call.id().isEmpty()) {
        throw new WireFormatException(p + ".id", "'" + p + ".id' is required");
      }
      blocks.addObject().putObject("toolUse").put("toolUseId", ids.call(call.id())).put("name", call.name())
          .set("input", arguments(call.arguments(), p + ".function.arguments"));
      turns.toolBlocks = true;
    }
  }

  private static void userContent(MessageContent content, String path, ArrayNode out) {
    if (content == null) {
      return;
    }
    if (content.text() != null) {
      addText(content.text(), out);
      return;
    }
    for (int j = 0; j < content.parts().size(); j++) {
      ContentPart part = content.parts().get(j);
      String p = path + "[" + j + "]";
      switch (part.type()) {
        case "text" -> addText(part.text(), out);
        case "image_url" -> out.add(image(part.imageUrl(), p + ".image_url.url"));
        default -> throw new WireFormatException(p + ".type",
            "content part type '" + part.type() + "' is not supported by provider bedrock");
      }
    }
  }

  /** Bedrock refuses blank text blocks: they are left out. */
  private static void addText(String text, ArrayNode out) {
    if (text != null && !text.isBlank()) {
      out.addObject().put("text", text);
    }
  }

  /** {@code data:image/png;base64,…} → {@code {"image":{"format":"png","source":{"bytes":"…"}}}}. */
  private static ObjectNode image(String url, String path) {
    int comma = url.indexOf(',');
    String header = url.startsWith("data:") && comma > 0 ? url.substring("data:".length(), comma) : "";
    if (!header.endsWith(";base64")) {
      throw new WireFormatException(path, "'" + path + "' must be a base64 data URL (data:image/<png|jpeg|gif|webp>;"
          + "base64,...): Bedrock cannot fetch images by URL");
    }
    String mime = header.substring(0, header.length() - ";base64".length()).toLowerCase(Locale.ROOT);
    int param = mime.indexOf(';');
    mime = param >= 0 ? mime.substring(0, param) : mime;
    String format = mime.startsWith("image/") ? mime.substring("image/".length()) : "";
    format = format.equals("jpg") ? "jpeg" : format;
    if (!IMAGE_FORMATS.contains(format)) {
      throw new WireFormatException(path, "'" + path + "': image type '" + mime
          + "' is not supported by provider bedrock (png, jpeg, gif, webp are)");
    }
    ObjectNode block = F.objectNode();
    block.putObject("image").put("format", format).putObject("source").put("bytes", url.substring(comma + 1));
    return block;
  }

  private static JsonNode arguments(String text, String path) {
    if (text == null || text.isBlank()) {
      return F.objectNode();
    }
    try {
      JsonNode args = Json.MAPPER.readTree(text);
      if (args != null && args.isObject()) {
        return args;
      }
    } catch (Exception e) {
      // refused below
    }
    throw new WireFormatException(path, "'" + path + "' must be a JSON object, as text");
  }

  /** Builds alternating turns, merging consecutive messages of one role and dropping empty turns. */
  private static final class Turns {
    private final ArrayNode messages = F.arrayNode();
    private String role;
    private ArrayNode blocks;
    boolean toolBlocks;

    ArrayNode open(String nextRole) {
      if (!nextRole.equals(role)) {
        flush();
        role = nextRole;
        blocks = F.arrayNode();
      }
      return blocks;
    }

    ArrayNode close() {
      flush();
      return messages;
    }

    private void flush() {
      if (blocks != null && !blocks.isEmpty()) {
        ObjectNode turn = messages.addObject().put("role", role);
        turn.set("content", blocks);
      }
      blocks = null;
      role = null;
    }
  }
}
