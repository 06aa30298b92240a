package dev.sluice.provider;

import dev.sluice.core.ChatChunk;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns one upstream event stream into canonical chunks. One per request; not thread-safe; lives
 * on the request's event loop. Fed arbitrary byte slices: it keeps partial frames, so a 1-byte split
 * gives the same output as the whole body.
 */
public interface StreamTranslator {

  void onBytes(Buffer bytes, Consumer<ChatChunk> out);

  /** The upstream closed the stream; flushes what is left. */
  void onEnd(Consumer<ChatChunk> out);

  /** Whether the upstream sent its end-of-stream marker (a stream that ends without it was cut). */
  boolean completed();

  /** Usage seen so far (the final usage once the stream completed). */
  TokenUsage usage();
}
