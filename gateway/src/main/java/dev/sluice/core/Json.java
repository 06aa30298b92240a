package dev.sluice.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;

/** The one shared ObjectMapper (thread-safe once configured) and buffer helpers. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * Parses JSON; a malformed body surfaces as {@link IOException} for the caller to map. Reads a
   * heap buffer's bytes in place: every request and every whole answer comes through here, and
   * {@link Buffer#getBytes()} copied each of them first.
   */
  public static JsonNode parse(Buffer buffer) throws IOException {
    if (buffer instanceof BufferInternal b) {
      ByteBuf buf = b.getByteBuf(); // a slice sharing the bytes, not a copy
      if (buf.hasArray()) {
        return MAPPER.readTree(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
      }
    }
    return MAPPER.readTree(buffer.getBytes());
  }

  public static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  public static Buffer toBuffer(JsonNode node) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
