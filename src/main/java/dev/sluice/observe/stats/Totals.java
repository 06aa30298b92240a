package dev.sluice.observe.stats;

import dev.sluice.observe.RequestSummary;
import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsRow;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Counts and histograms of some requests. Histograms hold microseconds with two significant
 * digits (within 1/128 of the recorded value) and grow their range as values come; packed, so one
 * holding a few values takes a few hundred bytes. Not thread-safe: callers lock.
 */
final class Totals {
  static final int DIGITS = 2;

  long requests;
  long errors;
  long inputTokens;
  long outputTokens;
  long costMicros;
  final PackedHistogram latency = new PackedHistogram(DIGITS);
  final PackedHistogram ttft = new PackedHistogram(DIGITS);
  final PackedHistogram overhead = new PackedHistogram(DIGITS);

  void record(RequestSummary s) {
    requests++;
    if (!s.ok()) {
      errors++;
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
    sum.latency.add(latency);
    sum.ttft.add(ttft);
    sum.overhead.add(overhead);
  }

  StatsRow row(StatsGrain grain, long minute, String replica, SeriesKey k, Encoder encoder) {
    return new StatsRow(grain, minute, replica, k.model(), k.provider(), k.target(), k.keyName(), k.team(), requests,
        errors, inputTokens, outputTokens, costMicros, encoder.encode(latency),
        ttft.getTotalCount() == 0 ? null : encoder.encode(ttft), encoder.encode(overhead));
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
