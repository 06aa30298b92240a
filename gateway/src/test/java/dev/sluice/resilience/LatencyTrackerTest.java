package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {
  private static final double MS = 1_000_000.0;
  private final FakeTicker ticker = new FakeTicker();
  private final LatencyTracker tracker = new LatencyTracker(ticker);

  @Test
  void coldStartIsTheDefaultUntilTheFirstSampleReplacesIt() {
    assertThat(tracker.ewmaNanos()).isEqualTo(1_000 * MS);
    assertThat(tracker.samples()).isZero();
    tracker.record((long) (200 * MS));
    assertThat(tracker.ewmaNanos()).as("even below the default, no blending").isEqualTo(200 * MS);
    LatencyTracker custom = new LatencyTracker(ticker, Duration.ofSeconds(5), Duration.ofMillis(300));
    assertThat(custom.ewmaNanos()).isEqualTo(300 * MS);
  }

  @Test
  void jumpsUpAtOnceOnASlowerSample() {
    tracker.record((long) (100 * MS));
    ticker.advanceMillis(1);
    tracker.record((long) (900 * MS));
    assertThat(tracker.ewmaNanos()).isEqualTo(900 * MS);
  }

  @Test
  void decaysDownTowardFasterSamplesOverTime() {
    tracker.record((long) (1_000 * MS));
    ticker.advanceSeconds(10); // one time constant
    tracker.record((long) (100 * MS));
    double expected = 100 * MS + 900 * MS * Math.exp(-1);
    assertThat(tracker.ewmaNanos()).isCloseTo(expected, within(1.0));

    ticker.advanceSeconds(30);
    tracker.record((long) (100 * MS));
    assertThat(tracker.ewmaNanos()).isCloseTo(100 * MS + (expected - 100 * MS) * Math.exp(-3), within(1.0));
  }

  @Test
  void aFasterSampleRightAfterASlowOneMovesLittle() {
    tracker.record((long) (1_000 * MS));
    ticker.advanceMillis(100);
    tracker.record((long) (100 * MS));
    assertThat(tracker.ewmaNanos()).isGreaterThan(990 * MS);
  }

  @Test
  void steadySamplesConvergeToTheirValue() {
    tracker.record((long) (800 * MS));
    for (int i = 0; i < 1_200; i++) { // two minutes: 550ms × e^-12 is left of the gap
      ticker.advanceMillis(100);
      tracker.record((long) (250 * MS));
    }
    assertThat(tracker.ewmaNanos()).isCloseTo(250 * MS, within(1 * MS));
  }

  @Test
  void idleEstimateDecaysTowardZeroSoAStarvedTargetIsTriedAgain() {
    tracker.record((long) (2_000 * MS));
    ticker.advanceSeconds(10);
    assertThat(tracker.ewmaNanos()).isCloseTo(2_000 * MS * Math.exp(-1), within(1.0));
    ticker.advanceSeconds(20);
    assertThat(tracker.ewmaNanos()).isCloseTo(2_000 * MS * Math.exp(-3), within(1.0));
    tracker.record((long) (2_000 * MS));
    assertThat(tracker.ewmaNanos()).as("the next slow sample brings it back").isEqualTo(2_000 * MS);
  }
}
