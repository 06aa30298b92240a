package dev.sluice.server.anthropic;

import dev.sluice.admission.TokenEstimator;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.ToolDefinition;
import dev.sluice.core.ChatRequest;
import io.vertx.core.buffer.Buffer;

/**
 * An estimate of a request's input tokens for {@code POST /v1/messages/count_tokens}: the
 * o200k_base encoding over every text the model reads (system prompt, message texts, tool call
 * names and arguments, tool names, descriptions and schemas), plus {@value #PER_MESSAGE} tokens per
 * message, and a flat {@value #PER_ATTACHMENT} per image or document. Claude's own tokenizer differs;
 * the estimate is for budgeting, not billing. Thread-safe.
 *
 * <p>Counting is linear in the text and runs on the caller's thread; the encoding is created on
 * first use (hundreds of milliseconds: call {@link #warmUp()} at start-up, off the event loop).
 */
public final class AnthropicTokenCounter {
  static final int PER_MESSAGE = 3;
  static final int PER_ATTACHMENT = 1_600;

  private AnthropicTokenCounter() {}

  /** Builds the encoding now rather than on the first count. Blocking; idempotent. */
  public static void warmUp() {
    TokenEstimator.o200k().getName();
  }

  public static long countInputTokens(ChatRequest request) {
    long tokens = 0;
    for (ChatMessage m : request.body().messages()) {
      tokens += PER_MESSAGE + content(m.content()) + text(m.name());
      if (m.toolCalls() != null) {
        for (ToolCall call : m.toolCalls()) {
          tokens += text(call.name()) + text(call.arguments());
        }
      }
    }
    if (request.body().tools() != null) {
      for (ToolDefinition tool : request.body().tools()) {
        tokens += text(tool.name()) + text(tool.description())
            + (tool.parameters() == null ? 0 : text(tool.parameters().toString()));
      }
    }
    return tokens;
  }

  /** The {@code count_tokens} answer: {@code {"input_tokens": N}}. */
  public static Buffer countTokensBody(ChatRequest request) {
    return Buffer.buffer("{\"input_tokens\":" + countInputTokens(request) + "}");
  }

  private static long content(MessageContent content) {
    if (content == null) {
      return 0;
    }
    if (content.text() != null) {
      return text(content.text());
    }
    long tokens = 0;
    for (ContentPart part : content.parts()) {
      tokens += "text".equals(part.type()) ? text(part.text()) : PER_ATTACHMENT;
    }
    return tokens;
  }

  private static long text(String text) {
    // "Ordinary": text that spells a special token such as <|endoftext|> is counted, not refused.
    return text == null || text.isEmpty() ? 0 : TokenEstimator.countO200k(text);
  }
}
