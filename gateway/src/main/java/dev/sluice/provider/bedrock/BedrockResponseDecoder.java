package dev.sluice.provider.bedrock;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A Converse response ({@code output.message.content[]}, {@code stopReason}, {@code usage}) → the
 * canonical completion: text blocks joined, {@code toolUse} blocks as tool calls with Bedrock's ids,
 * {@code reasoningContent} as reasoning.
 */
final class BedrockResponseDecoder {
  private BedrockResponseDecoder() {}

  /** @throws UpstreamFailure when the body is not a Converse response */
  static ChatResponse decode(Buffer body, String id, long created, String model) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (Exception e) {
      throw invalidBody();
    }
    JsonNode content = root == null ? null : root.path("output").path("message").get("content");
    if (content == null || !content.isArray()) {
      throw invalidBody();
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : content) {
      if (block.path("text").isTextual()) {
        text.append(block.get("text").textValue());
      } else if (block.path("toolUse").isObject()) {
        JsonNode use = block.get("toolUse");
        JsonNode input = use.get("input");
        calls.add(new ToolCall(use.path("toolUseId").asText(null), "function", use.path("name").asText(null),
            input == null || input.isNull() ? "{}" : input.toString()));
      } else if (block.path("reasoningContent").path("reasoningText").path("text").isTextual()) {
        reasoning.append(block.get("reasoningContent").get("reasoningText").get("text").textValue());
      }
    }
    TokenUsage usage = BedrockWire.usage(root.get("usage"));
    ChatMessage message = new ChatMessage("assistant", text.isEmpty() && !calls.isEmpty() ? null
        : MessageContent.text(text.toString()), null, calls.isEmpty() ? null : calls, null,
        reasoning.isEmpty() ? null : reasoning.toString());
    String finish = BedrockWire.finishReason(root.path("stopReason").asText(null), !calls.isEmpty());
    ChatCompletion completion = new ChatCompletion(id, created, model,
        List.of(new ChatCompletion.Choice(0, message, finish)), usage.toOpenAi(), null);
    return new ChatResponse(completion, usage, null);
  }

  static UpstreamFailure invalidBody() {
    return new UpstreamFailure(UpstreamError.of(ErrorClass.SERVER_ERROR, 200,
        "the provider sent a malformed response body"));
  }
}
