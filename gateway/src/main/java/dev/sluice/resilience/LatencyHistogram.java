package dev.sluice.resilience;

import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency percentiles over a rotating window (default: the last 60s in 6 intervals of 10s), e.g.
 * one per model for {@code hedge.after: p95}. Values are kept to 2 significant digits (≤ 1% error)
 * from 1µs to 10 minutes; longer ones count as 10 minutes.
 *
 * <p>The window is made of whole intervals: the current one plus the {@code intervals − 1} before
 * it, so it covers between {@code window − window/intervals} and {@code window}.
 *
 * <p><b>Threading and cost.</b> {@link #record} is wait-free (an HdrHistogram {@link Recorder})
 * except for one short locked step per interval boundary. Reads are served from a merged snapshot
 * rebuilt under this object's monitor at most once per {@code refresh} (and whenever an interval
 * boundary passed), so a per-request {@code percentileNanos} costs one scan of a few thousand
 * counts, not a merge.
 */
public final class LatencyHistogram {
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final int DEFAULT_INTERVALS = 6;
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

  private static final long LOWEST = 1_000;
  private static final long HIGHEST = Duration.ofMinutes(10).toNanos();
  private static final int DIGITS = 2;

  private final Ticker ticker;
  private final long origin;
  private final long intervalNanos;
  private final int intervals;
  private final long refreshNanos;
  private final Recorder recorder = new Recorder(LOWEST, HIGHEST, DIGITS);
  private volatile long currentEpoch;

  // Guarded by this.
  private final Histogram[] slots;
  private final long[] slotEpochs;
  private Histogram recycle;
  private final Histogram snapshot = newHistogram();
  private boolean snapshotValid;
  private long snapshotAt;
  private long snapshotEpoch;

  public LatencyHistogram(Ticker ticker) {
    this(ticker, DEFAULT_WINDOW, DEFAULT_INTERVALS, DEFAULT_REFRESH);
  }

  /**
   * @param window how far back percentiles look
   * @param intervals how many pieces the window rotates in (≥ 1)
   * @param refresh how stale a read may be; {@link Duration#ZERO} for always exact (tests)
   */
  public LatencyHistogram(Ticker ticker, Duration window, int intervals, Duration refresh) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    BreakerConfig.requirePositive("window", window);
    if (intervals < 1) {
      throw new IllegalArgumentException("intervals must be at least 1: " + intervals);
    }
    if (refresh == null || refresh.isNegative()) {
      throw new IllegalArgumentException("refresh must be ≥ 0: " + refresh);
    }
    this.origin = ticker.nanos();
    this.intervalNanos = Math.max(1, window.toNanos() / intervals);
    this.intervals = intervals;
    this.refreshNanos = refresh.toNanos();
    this.slots = new Histogram[intervals];
    this.slotEpochs = new long[intervals];
    for (int i = 0; i < intervals; i++) {
      slots[i] = newHistogram();
      slotEpochs[i] = Long.MIN_VALUE;
    }
  }

  private static Histogram newHistogram() {
    return new Histogram(LOWEST, HIGHEST, DIGITS);
  }

  /** One observed latency in nanoseconds (negative counts as 0, above 10 minutes as 10 minutes). */
  public void record(long nanos) {
    long epoch = epochNow();
    if (epoch > currentEpoch) {
      rotate(epoch);
    }
    recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
  }

  /**
   * The value at percentile {@code p} of the window, in nanoseconds; {@code p} is a percentage in
   * [0, 100] (95.0 for p95, as in HdrHistogram — not 0.95). 0 when the window is empty: check
   * {@link #count()} first, and require enough samples before trusting a tail percentile.
   */
  public long percentileNanos(double p) {
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100]: " + p);
    }
    synchronized (this) {
      refreshIfStale();
      return snapshot.getTotalCount() == 0 ? 0 : snapshot.getValueAtPercentile(p);
    }
  }

  /** How many values the window holds. */
  public long count() {
    synchronized (this) {
      refreshIfStale();
      return snapshot.getTotalCount();
    }
  }

  private long epochNow() {
    return Math.floorDiv(ticker.nanos() - origin, intervalNanos);
  }

  private synchronized void rotate(long epoch) {
    if (epoch > currentEpoch) {
      flushInto(currentEpoch); // what was recorded so far belongs to the interval that just ended
      currentEpoch = epoch;
    }
  }

  private void flushInto(long epoch) {
    Histogram interval = recorder.getIntervalHistogram(recycle);
    int i = (int) Math.floorMod(epoch, (long) intervals);
    if (slotEpochs[i] != epoch) {
      slots[i].reset();
      slotEpochs[i] = epoch;
    }
    slots[i].add(interval);
    recycle = interval;
  }

  private void refreshIfStale() {
    long now = ticker.nanos();
    long epoch = epochNow();
    if (snapshotValid && epoch == snapshotEpoch && now - snapshotAt < refreshNanos) {
      return;
    }
    rotate(epoch);
    epoch = currentEpoch; // a recorder may have read a later tick than ours
    flushInto(epoch);
    snapshot.reset();
    for (int i = 0; i < intervals; i++) {
      long e = slotEpochs[i];
      if (e != Long.MIN_VALUE && e <= epoch && epoch - e < intervals) {
        snapshot.add(slots[i]);
      }
    }
    snapshotValid = true;
    snapshotAt = now;
    snapshotEpoch = epoch;
  }
}
