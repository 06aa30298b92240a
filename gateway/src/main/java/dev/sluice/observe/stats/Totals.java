package dev.sluice.observe.stats;

import dev.sluice.observe.RequestSummary;
import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsRow;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Counts and histograms of some requests. Histograms hold microseconds with two significant
 * digits (within 1/128 of the recorded value) and grow their range as values come; packed, so one
 * holding a few values takes a few hundred bytes. Not thread-safe: callers lock.
 */
final class Totals {
  static final int DIGITS = 2;
  /**
   * Error classes kept apart per series; the rest count as {@link #OTHER}. Classes are the gateway's
   * own codes and {@code http_<status>}, a few dozen at most, but a provider's error code can be
   * passed on, and a provider must not grow the table without bound.
   */
  static final int MAX_ERROR_CLASSES = 24;
  static final int MAX_ERROR_CLASS_LENGTH = 64;
  static final String OTHER = "other";

  long requests;
  long errors;
  long inputTokens;
  long outputTokens;
  long costMicros;
  /** Errors by class; a {@code long[1]} per class so counting allocates nothing once a class is seen. */
  final Map<String, long[]> errorClasses = new HashMap<>(4);
  final PackedHistogram latency = new PackedHistogram(DIGITS);
  final PackedHistogram ttft = new PackedHistogram(DIGITS);
  final PackedHistogram overhead = new PackedHistogram(DIGITS);

  void record(RequestSummary s) {
    requests++;
    if (!s.ok()) {
      errors++;
      countError(s.errorClass() != null ? s.errorClass() : "http_" + s.status(), 1);
    }
    if (s.usage() != null) {
      inputTokens += s.usage().input();
      outputTokens += s.usage().output();
    }
    costMicros += s.costMicros();
    latency.recordValue(micros(s.latencyNanos()));
    if (s.ttftNanos() >= 0) {
      ttft.recordValue(micros(s.ttftNanos()));
    }
    overhead.recordValue(micros(s.overheadNanos()));
  }

  void addTo(Totals sum) {
    sum.requests += requests;
    sum.errors += errors;
    sum.inputTokens += inputTokens;
    sum.outputTokens += outputTokens;
    sum.costMicros += costMicros;
    errorClasses.forEach((c, n) -> sum.countError(c, n[0]));
    sum.latency.add(latency);
    sum.ttft.add(ttft);
    sum.overhead.add(overhead);
  }

  StatsRow row(StatsGrain grain, long minute, String replica, SeriesKey k, Encoder encoder) {
    return new StatsRow(grain, minute, replica, k.model(), k.provider(), k.target(), k.keyName(), k.team(), requests,
        errors, inputTokens, outputTokens, costMicros, encoder.encode(latency),
        ttft.getTotalCount() == 0 ? null : encoder.encode(ttft), encoder.encode(overhead), errorCounts());
  }

  private void countError(String errorClass, long n) {
    long[] count = errorClasses.get(errorClass);
    if (count == null) {
      // One place is left for OTHER, so a series never holds more than MAX_ERROR_CLASSES; counting
      // only named classes keeps a sum of one series (a coarser grain) the same as that series.
      int named = errorClasses.size() - (errorClasses.containsKey(OTHER) ? 1 : 0);
      boolean keep = !errorClass.isBlank() && errorClass.length() <= MAX_ERROR_CLASS_LENGTH
          && named < MAX_ERROR_CLASSES - 1;
      count = errorClasses.computeIfAbsent(keep ? errorClass : OTHER, k -> new long[1]);
    }
    count[0] += n;
  }

  private Map<String, Long> errorCounts() {
    Map<String, Long> counts = new HashMap<>(errorClasses.size() * 2);
    errorClasses.forEach((c, n) -> counts.put(c, n[0]));
    return counts;
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos) / 1_000;
  }

  /** HdrHistogram's V2 encoding through one reused buffer. Not thread-safe: one per flush. */
  static final class Encoder {
    private ByteBuffer buffer = ByteBuffer.allocate(4096);

    byte[] encode(AbstractHistogram h) {
      int needed = h.getNeededByteBufferCapacity();
      if (buffer.capacity() < needed) {
        buffer = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
      }
      buffer.clear();
      int length = h.encodeIntoByteBuffer(buffer);
      return Arrays.copyOf(buffer.array(), length);
    }
  }
}
