package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ReliabilityConfig;
import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelPlanTest {

  private static ModelPlan plan(ReliabilityConfig.Hedge hedge, FakeTicker ticker) {
    ReliabilityConfig r = ReliabilityConfig.defaults();
    return ReliabilityWiring.plan("m", new ReliabilityConfig(r.routing(), r.retries(), r.breaker(), null, hedge,
        List.of(), null, null, java.util.Map.of(), null), ticker);
  }

  @Test
  void hedgeAfterP95UsesTheModelsObservedTimeToFirstTokenOnceThereAreEnoughSamples() {
    FakeTicker ticker = new FakeTicker();
    ModelPlan plan = plan(new ReliabilityConfig.Hedge(0.95, Duration.ofMillis(250), 0.1), ticker);
    assertThat(plan.hedgeDelay()).as("too few samples: the floor").isEqualTo(Duration.ofMillis(250));
    for (int i = 1; i <= 100; i++) {
      plan.ttft().record(Duration.ofMillis(i * 10L).toNanos()); // 10 ms .. 1000 ms
    }
    ticker.advance(Duration.ofSeconds(2)); // let the histogram snapshot refresh
    assertThat(plan.hedgeDelay().toMillis()).isBetween(930L, 970L);
  }

  @Test
  void hedgeAfterAFixedDelayIgnoresTheHistogram() {
    FakeTicker ticker = new FakeTicker();
    ModelPlan plan = plan(new ReliabilityConfig.Hedge(Double.NaN, Duration.ofMillis(300), 0.1), ticker);
    for (int i = 0; i < 100; i++) {
      plan.ttft().record(Duration.ofMillis(5).toNanos());
    }
    assertThat(plan.hedgeDelay()).isEqualTo(Duration.ofMillis(300));
  }
}
