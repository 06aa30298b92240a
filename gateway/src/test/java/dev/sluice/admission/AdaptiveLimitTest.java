package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
  private final FakeTicker ticker = new FakeTicker();

  private AdaptiveLimit limit(int initial, int min, int max) {
    return AdaptiveLimit.builder().initialLimit(initial).minLimit(min).maxLimit(max).ticker(ticker).build();
  }

  /** One round of full load: take every slot, then complete them all after {@code rtt}. */
  private void roundAtFullLoad(AdaptiveLimit l, Duration rtt) {
    int taken = 0;
    while (l.tryAcquire()) {
      taken++;
    }
    ticker.advance(rtt);
    for (int i = 0; i < taken; i++) {
      l.onSuccess(rtt.toNanos());
    }
  }

  @Test
  void dropsShrinkTheLimitMultiplicativelyButNeverBelowTheMinimum() {
    AdaptiveLimit l = limit(100, 5, 200);

    for (int i = 0; i < 100; i++) {
      l.tryAcquire(); // at full load: the cut is from the 100 in flight
    }
    l.onDropped();
    assertThat(l.limit()).isEqualTo(90);
    for (int i = 0; i < 100; i++) {
      ticker.advanceSeconds(1);
      l.tryAcquire();
      l.onDropped();
      assertThat(l.limit()).isGreaterThanOrEqualTo(5);
    }
    assertThat(l.limit()).isEqualTo(5);
  }

  @Test
  void aLimitStartingAtItsMaximumCutsToWhatWasReallyInFlight() {
    AdaptiveLimit l = limit(20_000, 4, 20_000); // the gateway's default: never the bottleneck of a healthy target
    for (int i = 0; i < 300; i++) {
      assertThat(l.tryAcquire()).isTrue();
    }

    l.onDropped(); // the target's first 429 with 300 requests in flight

    assertThat(l.limit()).isEqualTo(270); // 0.9 × 300, not 0.9 × 20,000
    assertThat(l.inFlight()).isEqualTo(299);
  }

  @Test
  void theTimeoutsOfOneEpisodeCutOnceNotOncePerTimeout() {
    AdaptiveLimit l = limit(100, 1, 200);
    roundAtFullLoad(l, Duration.ofMillis(100));
    int before = l.limit();
    for (int i = 0; i < before; i++) {
      l.tryAcquire();
    }

    for (int i = 0; i < 50; i++) {
      l.onDropped(); // all within the same round trip
    }

    assertThat(l.limit()).isEqualTo((int) Math.floor(before * 0.9));
    ticker.advanceMillis(100);
    l.tryAcquire();
    l.onDropped();
    assertThat(l.limit()).isLessThan((int) Math.floor(before * 0.9));
  }

  @Test
  void risingLatencyShrinksTheLimitAndRecoveryGrowsItBack() {
    AdaptiveLimit l = limit(20, 2, 50);
    for (int i = 0; i < 5; i++) {
      roundAtFullLoad(l, Duration.ofMillis(100));
    }
    int healthy = l.limit();
    assertThat(healthy).isGreaterThan(20);

    for (int i = 0; i < 10; i++) {
      roundAtFullLoad(l, Duration.ofMillis(600)); // the target slows down six-fold
    }
    int slowed = l.limit();
    assertThat(slowed).isLessThan(healthy / 2).isGreaterThanOrEqualTo(2);

    for (int i = 0; i < 30; i++) {
      roundAtFullLoad(l, Duration.ofMillis(100));
    }
    assertThat(l.limit()).isGreaterThan(slowed).isEqualTo(50); // back up, and capped at the maximum
  }

  @Test
  void theLimitNeverExceedsTheMaximum() {
    AdaptiveLimit l = limit(10, 1, 12);
    for (int i = 0; i < 20; i++) {
      roundAtFullLoad(l, Duration.ofMillis(50));
      assertThat(l.limit()).isLessThanOrEqualTo(12);
    }
    assertThat(l.limit()).isEqualTo(12);
  }

  @Test
  void aLimitThatIsNotReachedDoesNotGrow() {
    AdaptiveLimit l = limit(100, 1, 200);
    for (int i = 0; i < 500; i++) {
      l.tryAcquire();
      ticker.advanceMillis(100);
      l.onSuccess(Duration.ofMillis(100).toNanos()); // one at a time: far below the limit
    }
    assertThat(l.limit()).isEqualTo(100);
  }

  @Test
  void clientCancellationsSayNothingAboutTheTarget() {
    AdaptiveLimit l = limit(10, 1, 20);
    for (int i = 0; i < 100; i++) {
      assertThat(l.tryAcquire()).isTrue();
      l.onIgnored();
    }
    assertThat(l.limit()).isEqualTo(10);
    assertThat(l.inFlight()).isZero();
  }

  @Test
  void inFlightNeverExceedsTheLimitUnderParallelCalls() throws Exception {
    AdaptiveLimit l = limit(7, 1, 20);
    List<Boolean> got = Parallel.run(100, 8, l::tryAcquire);

    assertThat(got).filteredOn(b -> b).hasSize(7);
    assertThat(l.inFlight()).isEqualTo(7);
  }

  @Test
  void eachTargetHasItsOwnLimit() {
    AdaptiveLimits limits = new AdaptiveLimits(() -> limit(10, 1, 20));
    for (int i = 0; i < 10; i++) {
      limits.forTarget("a").tryAcquire();
    }
    limits.forTarget("a").onDropped();

    assertThat(limits.forTarget("a").limit()).isEqualTo(9);
    assertThat(limits.forTarget("b").limit()).isEqualTo(10);
    assertThat(limits.forTarget("a")).isSameAs(limits.forTarget("a"));
  }

  @Test
  void smallAbsoluteRisesOverAFastBaselineDoNotShrinkTheLimitWhenAnExcessIsRequired() {
    AdaptiveLimit limit = AdaptiveLimit.builder().initialLimit(100).minLimit(4).maxLimit(1000)
        .minLatencyExcess(java.time.Duration.ofMillis(250)).ticker(ticker).build();
    for (int i = 0; i < 200; i++) {
      assertThat(limit.tryAcquire()).isTrue();
      // 1 ms baseline, then 10 ms: ten times slower, but only 9 ms slower in absolute terms
      limit.onSuccess(java.time.Duration.ofMillis(i < 20 ? 1 : 10).toNanos());
      ticker.advanceMillis(20);
    }
    assertThat(limit.limit()).isGreaterThanOrEqualTo(100);
    for (int i = 0; i < 50; i++) {
      assertThat(limit.tryAcquire()).isTrue();
      limit.onSuccess(java.time.Duration.ofMillis(900).toNanos()); // a real slowdown of the provider
      ticker.advanceMillis(1000);
    }
    assertThat(limit.limit()).isLessThan(100);
  }

  @Test
  void theGatewayDefaultRidesOutTtftJitterButShrinksOnARealSlowdown() {
    AdaptiveLimit l = AdaptiveLimit.gatewayDefault(ticker);
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 3000; i++) { // 2,000 in flight, TTFT 300 ms to 2.3 s: a busy but healthy target
      while (l.inFlight() < 2000) {
        assertThat(l.tryAcquire()).isTrue();
      }
      l.onSuccess(Duration.ofMillis(300 + random.nextInt(2000)).toNanos());
      ticker.advanceMillis(5);
    }
    assertThat(l.limit()).as("never cut below the load it carried").isGreaterThanOrEqualTo(2000);

    for (int i = 0; i < 200; i++) { // the provider slows down: TTFT 9 s
      l.tryAcquire();
      l.onSuccess(Duration.ofSeconds(9).toNanos());
      ticker.advanceMillis(50);
    }
    assertThat(l.limit()).isLessThan(2000);
  }

  @Test
  void itsLatencyIsTheLowestOfTheRecentWindowAndTheSmoothedOneAndUnknownBeforeAnySuccess() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(10).maxLimit(10).baselineWindow(Duration.ofSeconds(60))
        .ticker(ticker).build();
    assertThat(l.latency()).isEqualTo(new AdaptiveLimit.Latency(null, null));

    l.tryAcquire();
    l.onSuccess(Duration.ofMillis(100).toNanos());
    l.tryAcquire();
    l.onSuccess(Duration.ofMillis(200).toNanos());
    // Smoothed by a fifth: 100 + 0.2 × (200 - 100).
    assertThat(l.latency()).isEqualTo(new AdaptiveLimit.Latency(100_000_000L, 120_000_000L));

    ticker.advanceSeconds(45); // the 100 ms is in the previous half-window's lowest now, and still counts
    l.tryAcquire();
    l.onSuccess(Duration.ofMillis(300).toNanos());
    assertThat(l.latency().baselineNanos()).isEqualTo(100_000_000L);

    ticker.advanceSeconds(35); // past a half-window: only the 300 ms half-window is remembered
    assertThat(l.latency().baselineNanos()).isEqualTo(300_000_000L);
    ticker.advanceSeconds(30); // past two: the window holds nothing; the smoothed latency stays
    assertThat(l.latency().baselineNanos()).isNull();
    assertThat(l.latency().smoothedNanos()).isEqualTo(156_000_000L);
  }

  @Test
  void itCountsItsCutsByCauseAndKeepsTheLast() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(100).maxLimit(100).minLatencyExcess(Duration.ofSeconds(1))
        .ticker(ticker).build();
    assertThat(l.cuts()).isEqualTo(new AdaptiveLimit.Cuts(0, 0, null));

    for (int i = 0; i < 50; i++) {
      l.tryAcquire();
    }
    l.onSuccess(Duration.ofMillis(100).toNanos()); // the baseline
    ticker.advanceSeconds(1);
    l.onDropped(); // 49 in flight before it: cut to 0.9 × 49
    assertThat(l.cuts()).isEqualTo(new AdaptiveLimit.Cuts(0, 1, new AdaptiveLimit.Cut(AdaptiveLimit.Cause.DROPPED, 100, 44, 49, 0)));

    ticker.advanceSeconds(10); // longer than the smoothed latency will be: the next cut may come
    for (int i = 0; i < 10; i++) {
      l.onSuccess(Duration.ofSeconds(5).toNanos()); // smoothed past 2× and 1 s over 100 ms: one cut per round trip
    }
    ticker.advanceSeconds(3);
    AdaptiveLimit.Cuts cuts = l.cuts();
    assertThat(cuts.latencyCuts()).isEqualTo(1);
    assertThat(cuts.dropCuts()).isEqualTo(1);
    assertThat(cuts.last().cause()).isEqualTo(AdaptiveLimit.Cause.LATENCY);
    assertThat(cuts.last().from()).as("the first slow success, 0.98 s over, still grew it by one").isEqualTo(45);
    assertThat(cuts.last().to()).isLessThan(45);
    assertThat(cuts.last().agoNanos()).isEqualTo(Duration.ofSeconds(3).toNanos());
  }
}
