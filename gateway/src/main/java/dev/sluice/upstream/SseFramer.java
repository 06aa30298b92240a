package dev.sluice.upstream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into server-sent events, per the WHATWG event-stream grammar: lines end in
 * LF, CR or CRLF (a CRLF split across two slices counts once); a blank line dispatches; comment
 * lines ({@code :}) are skipped; {@code data:} lines accumulate. A state machine over bytes, so any
 * split of the input gives the same events. Not thread-safe: one per stream.
 *
 * <p>Hot path (one call per upstream slice): each slice is copied once, in bulk, behind the
 * unfinished line carried over from the previous slice (in windows, see {@link #feed}); line ends
 * are found with a plain loop over that array and {@code data:} values are copied as whole
 * segments. Reading the {@link Buffer} a byte at a time cost a bounds and reference-count check
 * per byte (bench/results/hotspots.md #3).
 *
 * <p>Between events it holds no buffer: a slice that ends on an event boundary (nearly every slice
 * a provider sends) leaves nothing behind, so both arrays are dropped and made again by the next
 * slice. A stream sits between events for most of its life, and held, they were ~0.8 kB of an open
 * stream's heap (bench/results/memory.md); making them again costs two short-lived arrays per slice.
 */
public final class SseFramer {
  private static final byte[] EMPTY = new byte[0];

  private static final int INITIAL = 256;

  /** {@code [0, pending)} is a line begun in an earlier slice whose end has not arrived yet. */
  private byte[] buf = EMPTY;
  private int pending;
  /** The previous slice ended in CR: an LF opening the next one belongs to it. */
  private boolean lastWasCr;
  /** The open event's {@code data:} lines; empty while no event is open. */
  private byte[] data = EMPTY;
  private int dataLength;
  private boolean hasData;
  private String eventName;

  /** Feeds a slice; every event it completes goes to {@code out} in order. */
  public void feed(Buffer bytes, Consumer<SseEvent> out) {
    int n = bytes.length();
    if (buf.length == 0) {
      buf = new byte[INITIAL];
    }
    // In windows of what fits behind the pending line: buf grows only for a line longer than it,
    // never to the size of a slice (a read can carry many events; this lives as long as the stream).
    for (int off = 0; off < n; ) {
      if (pending == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int step = Math.min(n - off, buf.length - pending);
      bytes.getBytes(off, off + step, buf, pending);
      off += step;
      frame(pending + step, out);
    }
    release();
  }

  /** Drops what no later slice needs: the line buffer when no line is unfinished, the data buffer
   *  when no event is open. */
  private void release() {
    if (pending == 0) {
      buf = EMPTY;
    }
    if (!hasData) {
      data = EMPTY;
    }
  }

  /** Frames {@code buf[0, end)}, of which {@code [0, pending)} was already scanned. */
  private void frame(int end, Consumer<SseEvent> out) {
    byte[] b = buf;
    int lineStart = 0;
    int i = pending;
    if (lastWasCr) { // pending is 0 here: the CR ended the line
      lastWasCr = false;
      if (b[i] == '\n') {
        lineStart = ++i;
      }
    }
    while (true) {
      while (i < end && b[i] != '\n' && b[i] != '\r') {
        i++;
      }
      if (i == end) {
        break;
      }
      int eol = i++;
      if (b[eol] == '\r') {
        if (i == end) {
          lastWasCr = true;
        } else if (b[i] == '\n') {
          i++;
        }
      }
      // Before endLine, which calls out: if out throws, a later feed must not see this line again.
      pending = 0;
      endLine(b, lineStart, eol, out);
      lineStart = i;
    }
    int rest = end - lineStart;
    if (rest > 0 && lineStart > 0) {
      System.arraycopy(b, lineStart, b, 0, rest);
    }
    pending = rest;
  }

  /** The stream ended: an event still open without its blank line is dispatched (lenient). */
  public void end(Consumer<SseEvent> out) {
    if (pending > 0) {
      int length = pending;
      pending = 0;
      endLine(buf, 0, length, out);
    }
    dispatch(out);
  }

  /** One line, {@code line[start, end)}, without its line end. */
  private void endLine(byte[] line, int start, int end, Consumer<SseEvent> out) {
    if (start == end) {
      dispatch(out);
      return;
    }
    int colon = start;
    while (colon < end && line[colon] != ':') {
      colon++;
    }
    if (colon == start) {
      return; // comment, e.g. ": keep-alive"
    }
    int valueStart = colon == end ? end : colon + 1;
    if (valueStart < end && line[valueStart] == ' ') {
      valueStart++;
    }
    if (isField(line, start, colon, "data")) {
      int extra = (hasData ? 1 : 0) + end - valueStart;
      if (dataLength + extra > data.length) {
        data = Arrays.copyOf(data, Math.max(dataLength + extra, Math.max(INITIAL, data.length * 2)));
      }
      if (hasData) {
        data[dataLength++] = '\n';
      }
      System.arraycopy(line, valueStart, data, dataLength, end - valueStart);
      dataLength += end - valueStart;
      hasData = true;
    } else if (isField(line, start, colon, "event")) {
      eventName = new String(line, valueStart, end - valueStart, StandardCharsets.UTF_8);
    }
    // id: and retry: are not used by any LLM API; ignored like unknown fields.
  }

  private void dispatch(Consumer<SseEvent> out) {
    boolean had = hasData;
    String name = eventName;
    byte[] bytes = had && dataLength > 0 ? Arrays.copyOf(data, dataLength) : EMPTY;
    hasData = false;
    dataLength = 0;
    eventName = null;
    if (had) {
      out.accept(new SseEvent(name, bytes));
    } else if (name != null) {
      out.accept(new SseEvent(name, EMPTY));
    }
  }

  /** Bytes held between slices, whatever their size: for tests. */
  int retainedBytes() {
    return buf.length + data.length;
  }

  private static boolean isField(byte[] line, int start, int nameEnd, String name) {
    if (nameEnd - start != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (line[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
