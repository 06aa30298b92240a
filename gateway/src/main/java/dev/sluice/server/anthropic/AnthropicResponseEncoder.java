package dev.sluice.server.anthropic;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;

/**
 * A canonical completion → an Anthropic {@code message}: thinking, then text, then tool_use blocks
 * (the order Claude writes them in). Only the first choice is encoded: Anthropic answers with one.
 */
final class AnthropicResponseEncoder {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectReader STRICT =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final MessageIds ids;

  AnthropicResponseEncoder(MessageIds ids) {
    this.ids = ids;
  }

  ObjectNode encode(ChatRequest request, ChatResponse response) {
    ChatCompletion completion = response.body();
    ChatCompletion.Choice choice = completion.choices().isEmpty() ? null : completion.choices().get(0);
    ChatMessage message = choice == null ? null : choice.message();

    ObjectNode o = F.objectNode();
    o.put("id", ids.messageId(completion.id()));
    o.put("type", "message");
    o.put("role", "assistant");
    o.put("model", completion.model() != null ? completion.model() : request.model());
    ArrayNode content = o.putArray("content");
    boolean usedTools = false;
    if (message != null) {
      if (message.reasoningContent() != null && !message.reasoningContent().isEmpty()) {
        content.addObject().put("type", "thinking").put("thinking", message.reasoningContent()).put("signature", "");
      }
      String text = message.content() == null ? null : message.content().joinedText();
      if (text != null && !text.isEmpty()) {
        content.addObject().put("type", "text").put("text", text);
      }
      if (message.toolCalls() != null) {
        for (ToolCall call : message.toolCalls()) {
          usedTools = true;
          ObjectNode block = content.addObject().put("type", "tool_use").put("id", ids.toolUseId(call.id()))
              .put("name", call.name() == null ? "" : call.name());
          block.set("input", input(call.arguments()));
        }
      }
    }
    o.put("stop_reason", StopReasons.of(choice == null ? null : choice.finishReason(), usedTools));
    o.putNull("stop_sequence");
    o.set("usage", usage(usage(response)));
    return o;
  }

  /** The arguments as the input object; text that is not one JSON object is kept as {@code _raw}. */
  static ObjectNode input(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return F.objectNode();
    }
    try {
      JsonNode node = STRICT.readTree(arguments);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (Exception notJson) {
      // falls through: the client still sees what the model wrote
    }
    return F.objectNode().put("_raw", arguments);
  }

  private static TokenUsage usage(ChatResponse response) {
    if (response.usage() != null) {
      return response.usage();
    }
    return TokenUsage.fromOpenAi(response.body().usage());
  }

  /** Anthropic's input_tokens leaves out the cached tokens the canonical input counts. */
  static ObjectNode usage(TokenUsage u) {
    ObjectNode o = F.objectNode();
    o.put("input_tokens", uncachedInput(u));
    o.put("output_tokens", u.output());
    o.put("cache_read_input_tokens", u.cachedRead());
    o.put("cache_creation_input_tokens", u.cacheWrite());
    return o;
  }

  static long uncachedInput(TokenUsage u) {
    return Math.max(0, u.input() - u.cachedRead() - u.cacheWrite());
  }
}
