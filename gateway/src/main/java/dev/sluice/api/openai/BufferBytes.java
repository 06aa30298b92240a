package dev.sluice.api.openai;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A buffer's readable bytes as an array range, without a copy when the buffer is heap-backed (a
 * request body usually is): parsers and scanners on the hot path read {@code bytes[from, from + length)}.
 * A direct buffer is copied once.
 */
public record BufferBytes(byte[] bytes, int from, int length) {
  public static BufferBytes of(Buffer body) {
    ByteBuf buf = body instanceof BufferInternal b ? b.getByteBuf() : null; // a slice sharing the bytes
    if (buf != null && buf.hasArray()) {
      return new BufferBytes(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    }
    byte[] copy = body.getBytes();
    return new BufferBytes(copy, 0, copy.length);
  }

  /**
   * {@code bytes} as a Buffer without copying them ({@code Buffer.buffer(byte[])} copies), for an
   * array that nothing else holds or writes. Unreleasable, like the heap buffers Vert.x makes, so a
   * stray release cannot free it under a later reader.
   */
  public static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
  }

  /** The index just past the range. */
  public int end() {
    return from + length;
  }
}
