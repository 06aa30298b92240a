package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<BreakerState> transitions = new ArrayList<>();

  private CircuitBreaker breaker(BreakerConfig config) {
    return new CircuitBreaker(config, ticker, transitions::add);
  }

  private static void fail(CircuitBreaker b, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(b.tryAcquire()).isTrue();
      b.onFailure();
    }
  }

  private static void succeed(CircuitBreaker b, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(b.tryAcquire()).isTrue();
      b.onSuccess();
    }
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    BreakerConfig d = BreakerConfig.defaults();
    assertThat(d).isEqualTo(new BreakerConfig(5, 0.5, 20, Duration.ofSeconds(30), Duration.ofSeconds(30),
        Duration.ofMinutes(5), 1));
  }

  @Test
  void configRejectsNonsense() {
    BreakerConfig d = BreakerConfig.defaults();
    assertThatThrownBy(() -> d.withConsecutiveFailures(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withFailureRate(1.5, 20, Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withCooldown(Duration.ofSeconds(30), Duration.ofSeconds(10)))
        .hasMessageContaining("maxCooldown");
    assertThatThrownBy(() -> d.withHalfOpenProbes(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void servingMeansClosedWithNoFailureSinceTheLastSuccess() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    assertThat(b.isServing()).as("no outcome yet").isTrue();
    fail(b, 1);
    assertThat(b.isServing()).as("its last outcome was a failure").isFalse();
    succeed(b, 1);
    assertThat(b.isServing()).isTrue();
    fail(b, 5);
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
    assertThat(b.isServing()).isFalse();
    ticker.advance(Duration.ofSeconds(30));
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(b.isServing()).as("a probe is out").isFalse();
    b.onSuccess();
    assertThat(b.isServing()).as("closed by the probe's success").isTrue();
  }

  @Test
  void opensAfterConsecutiveFailures() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    fail(b, 4);
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    b.tryAcquire();
    b.onFailure();
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
    assertThat(b.openings()).isEqualTo(1);
    assertThat(b.totalOpenings()).isEqualTo(1);
    assertThat(transitions).containsExactly(BreakerState.OPEN);
  }

  @Test
  void aSuccessResetsTheConsecutiveCount() {
    // Keep the rate rule out of reach: 80% of outcomes fail here.
    CircuitBreaker onlyConsecutive = breaker(BreakerConfig.defaults().withFailureRate(1.0, 1_000, Duration.ofSeconds(30)));
    for (int round = 0; round < 10; round++) {
      fail(onlyConsecutive, 4);
      succeed(onlyConsecutive, 1);
    }
    assertThat(onlyConsecutive.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void opensOnFailureRateOnlyPastMinimumRequests() {
    // Never 5 in a row, but half of all outcomes fail.
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    for (int i = 0; i < 9; i++) {
      fail(b, 1);
      succeed(b, 1);
    }
    assertThat(b.state()).as("18 outcomes < minimumRequests 20").isEqualTo(BreakerState.CLOSED);
    succeed(b, 1); // 19 outcomes, 9 failures
    fail(b, 1); // 20 outcomes, 10 failures: 50%
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void failureRateBelowThresholdKeepsItClosed() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    for (int i = 0; i < 100; i++) {
      fail(b, 1);
      succeed(b, 2); // 33% failures
    }
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void oldFailuresSlideOutOfTheWindow() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    for (int i = 0; i < 8; i++) {
      fail(b, 1);
      succeed(b, 1);
    }
    fail(b, 2); // 18 outcomes, 10 failures: below minimumRequests, so still closed
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    ticker.advanceSeconds(31); // those 18 outcomes leave the 30s window
    succeed(b, 1);
    fail(b, 1); // had they stayed: 20 outcomes, 11 failures, open
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void failuresWithinTheWindowStillCount() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    for (int i = 0; i < 8; i++) {
      fail(b, 1);
      succeed(b, 1);
    }
    fail(b, 2);
    ticker.advanceSeconds(20);
    succeed(b, 1);
    fail(b, 1);
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void rejectsWhileOpen() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    fail(b, 5);
    for (int s = 0; s < 29; s++) {
      assertThat(b.tryAcquire()).isFalse();
      assertThat(b.isAvailable()).isFalse();
      ticker.advanceSeconds(1);
    }
    assertThat(b.remainingCooldown()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void outcomesReportedWhileOpenAreIgnored() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    fail(b, 5);
    b.onSuccess();
    b.onFailure();
    b.onIgnored();
    assertThat(b.state()).isEqualTo(BreakerState.OPEN);
    assertThat(transitions).containsExactly(BreakerState.OPEN);
  }

  @Test
  void halfOpenAfterCooldownAdmitsExactlyTheProbeCount() {
    CircuitBreaker b = breaker(BreakerConfig.defaults().withHalfOpenProbes(3));
    fail(b, 5);
    ticker.advanceSeconds(30);
    assertThat(b.isAvailable()).isTrue();
    assertThat(b.state()).as("the transition happens on tryAcquire").isEqualTo(BreakerState.OPEN);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isFalse();
    assertThat(b.tryAcquire()).isFalse();
    assertThat(transitions).containsExactly(BreakerState.OPEN, BreakerState.HALF_OPEN);
  }

  @Test
  void probeSuccessCloses() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    fail(b, 5);
    ticker.advanceSeconds(30);
    assertThat(b.tryAcquire()).isTrue();
    b.onSuccess();
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    assertThat(transitions).containsExactly(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
    // Counters were reset: it takes five fresh failures to open again.
    fail(b, 4);
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void probeFailureReopensWithDoubledCooldownCapped() {
    BreakerConfig config = BreakerConfig.defaults().withCooldown(Duration.ofSeconds(30), Duration.ofSeconds(100));
    CircuitBreaker b = breaker(config);
    fail(b, 5);
    long[] expected = {30, 60, 100, 100};
    for (int round = 0; round < expected.length; round++) {
      assertThat(b.openings()).isEqualTo(round + 1);
      assertThat(b.remainingCooldown()).isEqualTo(Duration.ofSeconds(expected[round]));
      ticker.advanceSeconds(expected[round] - 1);
      assertThat(b.tryAcquire()).as("round %d, one second early", round).isFalse();
      ticker.advanceSeconds(1);
      assertThat(b.tryAcquire()).as("round %d, cooldown over", round).isTrue();
      b.onFailure();
      assertThat(b.state()).isEqualTo(BreakerState.OPEN);
    }
    assertThat(b.totalOpenings()).isEqualTo(5);
  }

  @Test
  void cooldownStreakResetsAfterStayingClosedForACooldown() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    fail(b, 5); // 30s
    ticker.advanceSeconds(30);
    b.tryAcquire();
    b.onFailure(); // 60s
    ticker.advanceSeconds(60);
    b.tryAcquire();
    b.onSuccess();
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);

    // Opening again soon after closing continues the streak: 120s.
    ticker.advanceSeconds(10);
    fail(b, 5);
    assertThat(b.openings()).isEqualTo(3);
    assertThat(b.remainingCooldown()).isEqualTo(Duration.ofSeconds(120));
    ticker.advanceSeconds(120);
    b.tryAcquire();
    b.onSuccess();

    // Closed for a full (last) cooldown: the streak decays and the next opening is back to 30s.
    ticker.advanceSeconds(120);
    assertThat(b.openings()).isZero();
    fail(b, 5);
    assertThat(b.openings()).isEqualTo(1);
    assertThat(b.remainingCooldown()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void ignoredOutcomesReleaseProbes() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    fail(b, 5);
    ticker.advanceSeconds(30);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).isFalse();
    b.onIgnored(); // the client of the probe went away
    assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(b.tryAcquire()).isTrue();
    b.onSuccess();
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void ignoredOutcomesCountNothingWhileClosed() {
    CircuitBreaker b = breaker(BreakerConfig.defaults());
    fail(b, 4);
    for (int i = 0; i < 100; i++) {
      b.tryAcquire();
      b.onIgnored();
    }
    assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    fail(b, 1);
    assertThat(b.state()).as("ignored outcomes did not break the run of failures").isEqualTo(BreakerState.OPEN);
  }

  @Test
  void concurrentProbesNeverExceedTheProbeCount() throws Exception {
    CircuitBreaker b = breaker(BreakerConfig.defaults().withHalfOpenProbes(2));
    fail(b, 5);
    ticker.advanceSeconds(30);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      AtomicInteger admitted = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      for (int i = 0; i < 4; i++) {
        pool.execute(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          for (int k = 0; k < 1_000; k++) {
            if (b.tryAcquire()) {
              admitted.incrementAndGet();
            }
          }
        });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(admitted).hasValue(2);
    } finally {
      pool.shutdownNow();
    }
  }
}
