package dev.sluice.upstream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The byte-at-a-time SSE framer {@link SseFramer} replaced, kept as the test oracle: the faster
 * framer must give exactly its events for any input and any split.
 */
final class ReferenceSseFramer {
  private static final byte[] EMPTY = new byte[0];

  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private byte[] data = new byte[256];
  private int dataLength;
  private boolean hasData;
  private String eventName;

  /** Feeds a slice; every event it completes goes to {@code out} in order. */
  void feed(Buffer bytes, Consumer<SseEvent> out) {
    int n = bytes.length();
    for (int i = 0; i < n; i++) {
      byte b = bytes.getByte(i);
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false;
          continue;
        }
        endLine(out);
      } else if (b == '\r') {
        lastWasCr = true;
        endLine(out);
      } else {
        lastWasCr = false;
        if (lineLength == line.length) {
          line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
      }
    }
  }

  /** The stream ended: an event still open without its blank line is dispatched (lenient). */
  void end(Consumer<SseEvent> out) {
    if (lineLength > 0) {
      endLine(out);
    }
    dispatch(out);
  }

  private void endLine(Consumer<SseEvent> out) {
    if (lineLength == 0) {
      dispatch(out);
      return;
    }
    int colon = indexOf(line, lineLength, (byte) ':');
    if (colon == 0) {
      lineLength = 0; // comment, e.g. ": keep-alive"
      return;
    }
    int nameEnd = colon < 0 ? lineLength : colon;
    int valueStart = colon < 0 ? lineLength : colon + 1;
    if (valueStart < lineLength && line[valueStart] == ' ') {
      valueStart++;
    }
    if (isField("data", nameEnd)) {
      if (hasData) {
        append((byte) '\n');
      }
      for (int i = valueStart; i < lineLength; i++) {
        append(line[i]);
      }
      hasData = true;
    } else if (isField("event", nameEnd)) {
      eventName = new String(line, valueStart, lineLength - valueStart, StandardCharsets.UTF_8);
    }
    // id: and retry: are not used by any LLM API; ignored like unknown fields.
    lineLength = 0;
  }

  private void dispatch(Consumer<SseEvent> out) {
    if (hasData) {
      out.accept(new SseEvent(eventName, dataLength == 0 ? EMPTY : Arrays.copyOf(data, dataLength)));
    } else if (eventName != null) {
      out.accept(new SseEvent(eventName, EMPTY));
    }
    hasData = false;
    dataLength = 0;
    eventName = null;
  }

  private boolean isField(String name, int nameEnd) {
    if (nameEnd != name.length()) {
      return false;
    }
    for (int i = 0; i < nameEnd; i++) {
      if (line[i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void append(byte b) {
    if (dataLength == data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[dataLength++] = b;
  }

  private static int indexOf(byte[] bytes, int length, byte b) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
