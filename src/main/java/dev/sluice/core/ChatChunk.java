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
 */
public record ChatChunk(ChatCompletionChunk chunk, Buffer openAiJson, ApiError error) {

  public static ChatChunk of(ChatCompletionChunk chunk, Buffer openAiJson) {
    return new ChatChunk(chunk, openAiJson, null);
  }

  public static ChatChunk failure(ApiError error) {
    return new ChatChunk(null, null, error);
  }

  /** A chunk that carries usage and nothing else: the one OpenAI sends last when asked to. */
  public boolean isUsageOnly() {
    return chunk != null && chunk.usage() != null && chunk.choices().isEmpty();
  }
}
