package dev.sluice.provider.bedrock;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Incremental decoder of the AWS event-stream binary framing ({@code application/vnd.amazon.eventstream}),
 * fed arbitrary byte slices: a message is decoded once all its bytes are in, wherever the slices
 * cut it. Each message is
 * <pre>
 *   total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)
 * </pre>
 * big-endian, both CRCs checked; a header is name length (1), name, value type (1), value. Only
 * string-valued headers are kept ({@code :event-type}, {@code :message-type}, ...); the other value
 * types are read past. A frame that breaks these rules fails with {@link EventStreamException}: the
 * framing cannot resynchronise after that. One per stream; not thread-safe.
 */
final class EventStreamDecoder {
  /** Prelude (12) + message CRC (4). */
  static final int MIN_LENGTH = 16;
  /** The service's limit is a 16 MB message; anything far past it is a broken length, not a message. */
  static final int MAX_LENGTH = 24 * 1024 * 1024;

  /** One decoded message: its string headers and its payload. */
  record Message(Map<String, String> headers, byte[] payload) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private Buffer pending = Buffer.buffer();
  private int at;

  /** Decodes every message {@code bytes} completes. @throws EventStreamException on a broken frame */
  void feed(Buffer bytes, Consumer<Message> out) {
    pending.appendBuffer(bytes);
    while (pending.length() - at >= 12) {
      int total = pending.getInt(at);
      int headersLength = pending.getInt(at + 4);
      int preludeCrc = pending.getInt(at + 8);
      if (crc(pending, at, 8) != preludeCrc) {
        throw new EventStreamException("prelude checksum mismatch");
      }
      if (total < MIN_LENGTH || total > MAX_LENGTH || headersLength < 0 || headersLength > total - MIN_LENGTH) {
        throw new EventStreamException("impossible message length " + total + " / headers " + headersLength);
      }
      if (pending.length() - at < total) {
        break;
      }
      int messageCrc = pending.getInt(at + total - 4);
      if (crc(pending, at, total - 4) != messageCrc) {
        throw new EventStreamException("message checksum mismatch");
      }
      Map<String, String> headers = headers(pending, at + 12, headersLength);
      byte[] payload = pending.getBytes(at + 12 + headersLength, at + total - 4);
      at += total;
      out.accept(new Message(headers, payload));
    }
    if (at > 0 && (at == pending.length() || at > 64 * 1024)) {
      pending = at == pending.length() ? Buffer.buffer() : pending.getBuffer(at, pending.length());
      at = 0;
    }
  }

  /** Whether bytes of an unfinished message are left (the stream was cut mid-frame). */
  boolean hasPartialMessage() {
    return pending.length() > at;
  }

  private static int crc(Buffer b, int from, int length) {
    CRC32 crc = new CRC32();
    crc.update(b.getBytes(from, from + length));
    return (int) crc.getValue();
  }

  private static Map<String, String> headers(Buffer b, int from, int length) {
    Map<String, String> out = new HashMap<>(8);
    int i = from;
    int end = from + length;
    while (i < end) {
      int nameLength = b.getUnsignedByte(i++);
      need(i + nameLength + 1, end);
      String name = b.getString(i, i + nameLength, "UTF-8");
      i += nameLength;
      int type = b.getUnsignedByte(i++);
      switch (type) {
        case 0, 1 -> { } // boolean true / false: no value bytes
        case 2 -> i += 1;
        case 3 -> i += 2;
        case 4 -> i += 4;
        case 5, 8 -> i += 8; // long, timestamp
        case 9 -> i += 16; // uuid
        case 6, 7 -> {
          need(i + 2, end);
          int valueLength = b.getUnsignedShort(i);
          i += 2;
          need(i + valueLength, end);
          if (type == 7) {
            out.put(name, new String(b.getBytes(i, i + valueLength), StandardCharsets.UTF_8));
          }
          i += valueLength;
        }
        default -> throw new EventStreamException("unknown header value type " + type);
      }
      need(i, end);
    }
    return out;
  }

  private static void need(int index, int end) {
    if (index > end) {
      throw new EventStreamException("a header runs past the headers section");
    }
  }

  /** The bytes are not a valid event stream. */
  static final class EventStreamException extends RuntimeException {
    EventStreamException(String message) {
      super(message, null, false, false);
    }
  }
}
