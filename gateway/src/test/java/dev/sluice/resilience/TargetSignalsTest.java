package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Target;
import dev.sluice.routing.RoutingPolicy;
import dev.sluice.routing.RoutingSignals;
import dev.sluice.testing.FakeTicker;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TargetSignalsTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Target fast = new Target("p1", "m", 1);
  private final Target slow = new Target("p2", "m", 1);

  @Test
  void exposesTrackersThroughTheRoutingView() {
    TargetSignals signals = new TargetSignals(ticker, t -> t.equals(fast) ? 3.0 : Double.NaN);
    RoutingSignals view = signals;
    assertThat(view.ewmaTtftNanos(fast)).isEqualTo(1e9); // cold start
    signals.latencyTracker(fast).record(50_000_000);
    signals.inFlightCounter(slow).incrementAndGet();
    signals.inFlightCounter(slow).incrementAndGet();
    assertThat(signals.latencyTracker(new Target("p1", "m", 9))).isSameAs(signals.latencyTracker(fast));
    assertThat(view.ewmaTtftNanos(fast)).isEqualTo(5e7);
    assertThat(view.inFlight(slow)).isEqualTo(2);
    assertThat(view.inFlight(fast)).isZero();
    assertThat(view.costPerMtok(fast)).isEqualTo(3.0);
    assertThat(view.costPerMtok(slow)).isNaN();
  }

  @Test
  void drivesTheLatencyPolicy() {
    TargetSignals signals = new TargetSignals(ticker);
    signals.latencyTracker(fast).record(100_000_000);
    signals.latencyTracker(slow).record(2_000_000_000);
    RoutingPolicy p2c = RoutingPolicy.latency(() -> new SplittableRandom(3));
    assertThat(p2c.order(List.of(slow, fast), signals)).containsExactly(fast, slow);
    for (int i = 0; i < 30; i++) {
      signals.inFlightCounter(fast).incrementAndGet(); // 100ms × 31 > 2s × 1
    }
    assertThat(p2c.order(List.of(slow, fast), signals)).containsExactly(slow, fast);
  }

  @Test
  void inFlightCountsUpAndDownAcrossThreadsAndNeverBelowZero() throws Exception {
    InFlight counter = new InFlight();
    counter.decrement();
    assertThat(counter.current()).isZero();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(() -> {
          for (int i = 0; i < 10_000; i++) {
            counter.incrementAndGet();
            counter.decrement();
          }
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(counter.current()).isZero();
    assertThat(counter.incrementAndGet()).isEqualTo(1);
  }
}
