package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A non-streamed Anthropic {@code message} → a canonical completion: text blocks joined into the
 * content, thinking blocks into {@code reasoning_content}, tool_use blocks into tool calls. Block
 * types with no OpenAI counterpart (redacted thinking, server tools) are left out of the canonical
 * form; the body itself rides along for the Anthropic front, which relays it unchanged.
 */
final class AnthropicResponseDecoder {
  private final Clock clock;

  AnthropicResponseDecoder(Clock clock) {
    this.clock = clock;
  }

  ChatResponse decode(Buffer body) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (Exception e) {
      throw malformed("the provider sent a malformed response body");
    }
    JsonNode content = root == null ? null : root.get("content");
    if (content == null || !content.isArray()) {
      throw malformed("the provider sent a malformed response body");
    }
    StringBuilder text = null;
    StringBuilder thinking = null;
    List<ToolCall> calls = null;
    for (JsonNode block : content) {
      switch (block.path("type").asText("")) {
        case "text" -> text = append(text, block.path("text").asText(""));
        case "thinking" -> thinking = append(thinking, block.path("thinking").asText(""));
        case "tool_use" -> {
          JsonNode input = block.get("input");
          String id = textOrNull(block, "id");
          String name = textOrNull(block, "name");
          if (input == null || !input.isObject() || id == null || name == null) {
            throw malformed("the provider sent a malformed tool call");
          }
          if (calls == null) {
            calls = new ArrayList<>(2);
          }
          calls.add(new ToolCall(id, "function", name, input.toString()));
        }
        default -> {
          // redacted_thinking, server_tool_use, web_search_tool_result ...: nothing OpenAI can carry
        }
      }
    }
    MessageContent messageContent = text != null ? MessageContent.text(text.toString())
        : calls != null ? null : MessageContent.text("");
    ChatMessage message = new ChatMessage("assistant", messageContent, null, calls, null,
        thinking == null ? null : thinking.toString());
    TokenUsage usage = AnthropicUsage.of(root.get("usage"));
    ChatCompletion completion = new ChatCompletion(textOrNull(root, "id"), clock.instant().getEpochSecond(),
        textOrNull(root, "model"),
        List.of(new ChatCompletion.Choice(0, message,
            AnthropicStopReasons.toFinishReason(textOrNull(root, "stop_reason")))),
        usage.toOpenAi(), null);
    return new ChatResponse(completion, usage, null, body); // the Anthropic front relays it as is
  }

  private static StringBuilder append(StringBuilder sb, String text) {
    return sb == null ? new StringBuilder(text) : sb.append(text);
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  private static UpstreamFailure malformed(String message) {
    return new UpstreamFailure(UpstreamError.of(ErrorClass.SERVER_ERROR, 200, message));
  }
}
