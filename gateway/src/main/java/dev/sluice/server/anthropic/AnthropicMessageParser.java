package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.RequestFields.blockType;
import static dev.sluice.server.anthropic.RequestFields.bool;
import static dev.sluice.server.anthropic.RequestFields.field;
import static dev.sluice.server.anthropic.RequestFields.invalid;
import static dev.sluice.server.anthropic.RequestFields.requiredObject;
import static dev.sluice.server.anthropic.RequestFields.requiredString;
import static dev.sluice.server.anthropic.RequestFields.string;
import static dev.sluice.server.anthropic.RequestFields.unexpectedTag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One Anthropic turn → canonical messages.
 *
 * <p>A user turn becomes one {@code tool} message per {@code tool_result} block (in block order),
 * followed by one user message with the turn's other blocks — tool results always first, because an
 * OpenAI-shaped conversation needs the answers right after the assistant message that asked. An
 * assistant turn becomes one assistant message: text blocks joined (they are consecutive segments
 * of one answer), {@code tool_use} blocks as tool calls; {@code thinking} blocks are dropped (their
 * signatures only mean something to Anthropic, and the canonical form has no slot for them).
 * {@code cache_control} and {@code citations} annotations are ignored: the canonical form has no
 * place for them.
 */
final class AnthropicMessageParser {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String USER_TAGS = "'text', 'image', 'document', 'tool_result'";
  private static final String ASSISTANT_TAGS = "'text', 'tool_use', 'thinking', 'redacted_thinking'";

  private AnthropicMessageParser() {}

  /** Appends the canonical messages of {@code messages[i]} (at {@code path}) to {@code out}. */
  static void parse(JsonNode message, String path, List<ChatMessage> out) {
    if (message == null || !message.isObject()) {
      throw invalid(path, "Input should be a valid dictionary or object to extract fields from");
    }
    String role = requiredString(message, "role", path + ".role");
    JsonNode content = field(message, "content");
    if (content == null) {
      throw invalid(path + ".content", "Field required");
    }
    if (!content.isTextual() && !content.isArray()) {
      throw invalid(path + ".content", "Input should be a valid string or a list of content blocks");
    }
    switch (role) {
      case "user" -> user(content, path + ".content", out);
      case "assistant" -> out.add(assistant(content, path + ".content"));
      default -> throw invalid(path + ".role", "Input should be 'user' or 'assistant'");
    }
  }

  private static void user(JsonNode content, String path, List<ChatMessage> out) {
    if (content.isTextual()) {
      out.add(ChatMessage.of("user", content.textValue()));
      return;
    }
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String p = path + "." + j;
      switch (blockType(block, p)) {
        case "text" -> parts.add(ContentPart.text(requiredString(block, "text", p + ".text")));
        case "image" -> parts.add(image(block, p));
        case "document" -> parts.add(document(block, p));
        case "tool_result" -> out.add(toolResult(block, p, parts));
        default -> throw unexpectedTag(p + ".type", block.get("type").textValue(), USER_TAGS);
      }
    }
    if (parts.size() == 1 && "text".equals(parts.get(0).type())) {
      out.add(ChatMessage.of("user", parts.get(0).text())); // plain text: every upstream takes it
    } else if (!parts.isEmpty()) {
      out.add(new ChatMessage("user", MessageContent.parts(parts), null, null, null, null));
    }
  }

  /**
   * A tool_result block → a {@code tool} message. Its text blocks are joined by newlines; images in
   * it cannot ride in an OpenAI tool message, so they go to {@code userParts}, the user message that
   * follows the tool messages.
   */
  private static ChatMessage toolResult(JsonNode block, String path, List<ContentPart> userParts) {
    String toolUseId = requiredString(block, "tool_use_id", path + ".tool_use_id");
    boolean isError = Boolean.TRUE.equals(bool(block, "is_error", path + ".is_error"));
    JsonNode content = field(block, "content");
    StringBuilder text = new StringBuilder();
    if (content != null && content.isTextual()) {
      text.append(content.textValue());
    } else if (content != null && content.isArray()) {
      for (int k = 0; k < content.size(); k++) {
        JsonNode inner = content.get(k);
        String p = path + ".content." + k;
        switch (blockType(inner, p)) {
          case "text" -> {
            if (!text.isEmpty()) {
              text.append('\n');
            }
            text.append(requiredString(inner, "text", p + ".text"));
          }
          case "image" -> userParts.add(image(inner, p));
          case "document" -> userParts.add(document(inner, p));
          default -> throw unexpectedTag(p + ".type", inner.get("type").textValue(), "'text', 'image', 'document'");
        }
      }
    } else if (content != null) {
      throw invalid(path + ".content", "Input should be a valid string or a list of content blocks");
    }
    String result = isError ? "Error: " + text : text.toString();
    return new ChatMessage("tool", MessageContent.text(result), null, null, toolUseId, null);
  }

  private static ChatMessage assistant(JsonNode content, String path) {
    if (content.isTextual()) {
      return ChatMessage.of("assistant", content.textValue());
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = null;
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String p = path + "." + j;
      switch (blockType(block, p)) {
        case "text" -> text.append(requiredString(block, "text", p + ".text"));
        case "tool_use" -> {
          String id = requiredString(block, "id", p + ".id");
          String name = requiredString(block, "name", p + ".name");
          JsonNode input = requiredObject(block, "input", p + ".input");
          if (calls == null) {
            calls = new ArrayList<>(2);
          }
          calls.add(new ToolCall(id, "function", name, input.toString()));
        }
        case "thinking", "redacted_thinking" -> {
          // dropped: signed reasoning only Anthropic can verify; no canonical slot for it
        }
        default -> throw unexpectedTag(p + ".type", block.get("type").textValue(), ASSISTANT_TAGS);
      }
    }
    MessageContent messageContent = calls != null && text.isEmpty() ? null : MessageContent.text(text.toString());
    return new ChatMessage("assistant", messageContent, null, calls, null, null);
  }

  /** An image block: base64 source → a {@code data:} URL, url source → the URL. */
  static ContentPart image(JsonNode block, String path) {
    JsonNode source = requiredObject(block, "source", path + ".source");
    String sourceType = requiredString(source, "type", path + ".source.type");
    return switch (sourceType) {
      case "base64" -> ContentPart.image(dataUrl(source, path + ".source"), null);
      case "url" -> ContentPart.image(requiredString(source, "url", path + ".source.url"), null);
      case "file" -> throw invalid(path + ".source.type",
          "file sources (Files API) are not supported by this gateway; send the image as base64 or url");
      default -> throw unexpectedTag(path + ".source.type", sourceType, "'base64', 'url'");
    };
  }

  /**
   * A document block: a base64 PDF → an OpenAI {@code file} part; plain text (source type
   * {@code text}) → a text part. URL and Files API sources have no canonical form.
   */
  private static ContentPart document(JsonNode block, String path) {
    JsonNode source = requiredObject(block, "source", path + ".source");
    String sourceType = requiredString(source, "type", path + ".source.type");
    return switch (sourceType) {
      case "base64" -> {
        String title = string(block, "title", path + ".title");
        ObjectNode part = F.objectNode().put("type", "file");
        part.putObject("file").put("filename", title == null || title.isBlank() ? "document.pdf" : title)
            .put("file_data", dataUrl(source, path + ".source"));
        yield new ContentPart("file", null, null, null, part);
      }
      case "text" -> ContentPart.text(requiredString(source, "data", path + ".source.data"));
      case "url", "file", "content" -> throw invalid(path + ".source.type", "document source type '"
          + sourceType + "' is not supported by this gateway; send the document as base64 or text");
      default -> throw unexpectedTag(path + ".source.type", sourceType, "'base64', 'text'");
    };
  }

  private static String dataUrl(JsonNode source, String path) {
    String mediaType = requiredString(source, "media_type", path + ".media_type");
    String data = requiredString(source, "data", path + ".data");
    return "data:" + mediaType + ";base64," + data;
  }
}
