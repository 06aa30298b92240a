package dev.sluice.pipeline;

import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Writes one streamed answer in a front door's format. One per request; not thread-safe; lives on
 * the request's event loop. Each method hands zero or more complete SSE events (bytes ending in a
 * blank line) to {@code write}; every event handed over is sent at once, without batching.
 */
public interface FrontStream {

  /** A canonical chunk from the provider (never a failure: those go to {@link #onError}). */
  void onChunk(ChatChunk chunk, Consumer<Buffer> write);

  /** The provider completed the stream; {@code usage} is the final usage it reported. */
  void onComplete(TokenUsage usage, Consumer<Buffer> write);

  /** The stream failed after its first byte: the terminal error event(s) of this format. */
  void onError(ApiError error, Consumer<Buffer> write);
}
