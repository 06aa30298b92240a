package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  private static final long MS = 1_000_000L;
  private final FakeTicker ticker = new FakeTicker();

  private LatencyHistogram exact() {
    return new LatencyHistogram(ticker, Duration.ofSeconds(60), 6, Duration.ZERO);
  }

  @Test
  void emptyWindowCountsNothingAndReportsZero() {
    LatencyHistogram h = exact();
    assertThat(h.count()).isZero();
    assertThat(h.percentileNanos(95)).isZero();
  }

  @Test
  void percentilesOfAUniformSpread() {
    LatencyHistogram h = exact();
    for (int i = 1; i <= 1_000; i++) {
      h.record(i * MS);
    }
    assertThat(h.count()).isEqualTo(1_000);
    assertThat(h.percentileNanos(50)).isCloseTo(500 * MS, withinPercentage(1));
    assertThat(h.percentileNanos(95)).isCloseTo(950 * MS, withinPercentage(1));
    assertThat(h.percentileNanos(99.9)).isCloseTo(999 * MS, withinPercentage(1));
    assertThat(h.percentileNanos(100)).isCloseTo(1_000 * MS, withinPercentage(1));
  }

  @Test
  void oldIntervalsRotateOutOfTheWindow() {
    LatencyHistogram h = exact();
    for (int i = 0; i < 100; i++) {
      h.record(10 * MS);
    }
    ticker.advanceSeconds(30);
    for (int i = 0; i < 100; i++) {
      h.record(500 * MS);
    }
    assertThat(h.count()).isEqualTo(200);
    assertThat(h.percentileNanos(25)).isCloseTo(10 * MS, withinPercentage(1));
    assertThat(h.percentileNanos(75)).isCloseTo(500 * MS, withinPercentage(1));

    ticker.advanceSeconds(29); // t = 59s: the first interval [0, 10s) is still in the window
    assertThat(h.count()).isEqualTo(200);
    ticker.advanceSeconds(1); // t = 60s: it has rotated out
    assertThat(h.count()).isEqualTo(100);
    assertThat(h.percentileNanos(1)).isCloseTo(500 * MS, withinPercentage(1));

    ticker.advanceSeconds(30); // t = 90s: so has the second batch (recorded at 30s)
    assertThat(h.count()).isZero();
  }

  @Test
  void samplesLandInTheIntervalTheyWereRecordedInEvenWithoutReads() {
    LatencyHistogram h = exact();
    h.record(10 * MS);
    ticker.advanceSeconds(45);
    h.record(20 * MS); // no read in between: the first sample must still be filed under t = 0
    ticker.advanceSeconds(15); // t = 60s
    assertThat(h.count()).isEqualTo(1);
    assertThat(h.percentileNanos(50)).isCloseTo(20 * MS, withinPercentage(1));
  }

  @Test
  void readsAreServedFromASnapshotRefreshedAtMostOncePerRefreshPeriod() {
    LatencyHistogram h = new LatencyHistogram(ticker, Duration.ofSeconds(60), 6, Duration.ofSeconds(1));
    h.record(10 * MS);
    assertThat(h.count()).isEqualTo(1);
    h.record(10 * MS);
    assertThat(h.count()).as("snapshot is fresh for a second").isEqualTo(1);
    ticker.advanceSeconds(1);
    assertThat(h.count()).isEqualTo(2);
  }

  @Test
  void outOfRangeValuesAreClampedAndBadPercentilesRejected() {
    LatencyHistogram h = exact();
    h.record(-5);
    h.record(Duration.ofHours(2).toNanos());
    assertThat(h.count()).isEqualTo(2);
    assertThat(h.percentileNanos(100)).isCloseTo(Duration.ofMinutes(10).toNanos(), withinPercentage(1));
    assertThatThrownBy(() -> h.percentileNanos(101)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.percentileNanos(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
