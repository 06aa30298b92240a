package dev.sluice.store;

import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsRow;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/** Stats rows for the store contract, with histograms made from known values. */
final class StatsRows {
  static final long MINUTE = StoreContract.T0.toEpochMilli() / 60_000;

  private StatsRows() {}

  /** A row of {@code grain} with one request per latency (microseconds), one error, 10 in and 1 out tokens each. */
  static StatsRow row(StatsGrain grain, long minute, String replica, String model, String keyName, long... latencyMicros) {
    Histogram h = histogram(latencyMicros);
    boolean all = grain == StatsGrain.ALL;
    return new StatsRow(grain, minute, replica, grain == StatsGrain.MODEL || all ? model : null,
        all || grain == StatsGrain.PROVIDER || grain == StatsGrain.TARGET ? "openai" : null,
        all || grain == StatsGrain.TARGET ? "gpt-4o" : null, grain == StatsGrain.KEY || all ? keyName : null, null,
        latencyMicros.length, 1, 10L * latencyMicros.length, latencyMicros.length, 100L * latencyMicros.length,
        encode(h), null, encode(histogram(5)));
  }

  /** {@code r} with these errors by class. */
  static StatsRow withErrors(StatsRow r, java.util.Map<String, Long> errorClasses) {
    return new StatsRow(r.grain(), r.minute(), r.replica(), r.model(), r.provider(), r.target(), r.keyName(), r.team(),
        r.requests(), errorClasses.values().stream().mapToLong(Long::longValue).sum(), r.inputTokens(),
        r.outputTokens(), r.costMicros(), r.latency(), r.ttft(), r.overhead(), errorClasses);
  }

  static Histogram histogram(long... values) {
    Histogram h = new Histogram(2);
    for (long v : values) {
      h.recordValue(v);
    }
    return h;
  }

  static byte[] encode(Histogram h) {
    ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoByteBuffer(b);
    return Arrays.copyOf(b.array(), n);
  }
}
