package dev.sluice.core;

import dev.sluice.api.openai.ChatCompletionChunk;
import io.vertx.core.buffer.Buffer;

/**
 * One streamed event in canonical form.
 *
 * @param chunk the chunk; null for a terminal {@code error}
 * @param openAiJson the upstream's own JSON for this chunk when it already is OpenAI's wire format,
 *     so the OpenAI front can relay it byte for byte; null when it was translated
 * @param error a provider error that ends the stream; null otherwise
 * @param anthropicSse the upstream's own Anthropic events (whole SSE frames) this chunk was made
 *     of, with any event before it that made no chunk (ping, content_block_stop, signature_delta),
 *     so the Anthropic front can relay them byte for byte; null when the upstream is not Anthropic
 * @param responsesSse the upstream's own Responses API event (one whole SSE frame) of a request passed
 *     through natively ({@link ChatRequest#responses()}), relayed byte for byte; null otherwise
 */
public record ChatChunk(ChatCompletionChunk chunk, Buffer openAiJson, ApiError error, Buffer anthropicSse,
    Buffer responsesSse) {

  public ChatChunk(ChatCompletionChunk chunk, Buffer openAiJson, ApiError error, Buffer anthropicSse) {
    this(chunk, openAiJson, error, anthropicSse, null);
  }

  public ChatChunk(ChatCompletionChunk chunk, Buffer openAiJson, ApiError error) {
    this(chunk, openAiJson, error, null);
  }

  public static ChatChunk of(ChatCompletionChunk chunk, Buffer openAiJson) {
    return new ChatChunk(chunk, openAiJson, null);
  }

  public static ChatChunk failure(ApiError error) {
    return new ChatChunk(null, null, error);
  }

  /**
   * The failure as an upstream error, so resilience policies can act on a mid-stream error before
   * the first byte reached the client like on any other failed attempt.
   */
  public UpstreamError asUpstreamError() {
    ErrorClass c = switch (error.status()) {
      case 429 -> ErrorClass.RATE_LIMITED;
      case 503, 529 -> ErrorClass.OVERLOADED;
      case 504 -> ErrorClass.TIMEOUT;
      case 400 -> "content_filter".equals(error.code()) ? ErrorClass.CONTENT_FILTER : ErrorClass.BAD_REQUEST;
      default -> ErrorClass.SERVER_ERROR;
    };
    return new UpstreamError(c, error.status(), error.message(), null);
  }

  /**
   * Whether the chunk carries anything a user sees or a client acts on: text, reasoning, a tool
   * call, a finish reason. The role-only opening chunk does not: it is no evidence that tokens flow.
   */
  public boolean isFirstTokenEvidence() {
    if (chunk == null) {
      return false;
    }
    for (var choice : chunk.choices()) {
      var d = choice.delta();
      if (choice.finishReason() != null || d.toolCalls() != null
          || d.content() != null && !d.content().isEmpty()
          || d.reasoningContent() != null && !d.reasoningContent().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** A chunk that carries usage and nothing else: the one OpenAI sends last when asked to. */
  public boolean isUsageOnly() {
    return chunk != null && chunk.usage() != null && chunk.choices().isEmpty();
  }
}
