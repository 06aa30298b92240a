package dev.sluice.testing;

import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when a test says so. It starts at an arbitrary, large origin
 * so that code which assumes the clock starts at zero, or compares readings with {@code <}
 * instead of subtracting, shows up in tests. Thread-safe.
 */
public final class FakeTicker implements Ticker {
  /** Close to the top of the range: one hour on, the reading has wrapped round to negative. */
  public static final long DEFAULT_ORIGIN = Long.MAX_VALUE - Duration.ofMinutes(30).toNanos();

  private final AtomicLong now;

  public FakeTicker() {
    this(DEFAULT_ORIGIN);
  }

  public FakeTicker(long origin) {
    this.now = new AtomicLong(origin);
  }

  @Override
  public long nanos() {
    return now.get();
  }

  public FakeTicker advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + d);
    }
    now.addAndGet(d.toNanos());
    return this;
  }

  public FakeTicker advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  public FakeTicker advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }
}
