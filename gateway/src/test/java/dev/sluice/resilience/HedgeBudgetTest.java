package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HedgeBudgetTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void hedgesAtMostTheRatioOfRequests() {
    HedgeBudget budget = new HedgeBudget(ticker);
    int hedges = 0;
    for (int i = 0; i < 1_000; i++) { // every request's hedge timer fires
      budget.onRequest();
      if (budget.tryAcquireHedge()) {
        hedges++;
      }
      ticker.advanceMillis(5);
    }
    assertThat(hedges).isEqualTo(100);
    assertThat(budget.hedgesInWindow()).isEqualTo(100);
  }

  @Test
  void noHedgeBeforeEnoughRequests() {
    HedgeBudget budget = new HedgeBudget(ticker);
    for (int i = 0; i < 9; i++) {
      budget.onRequest();
      assertThat(budget.tryAcquireHedge()).isFalse();
    }
    budget.onRequest();
    assertThat(budget.tryAcquireHedge()).isTrue();
    assertThat(budget.tryAcquireHedge()).isFalse();
  }

  @Test
  void budgetComesBackAsTheWindowSlides() {
    HedgeBudget budget = new HedgeBudget(0.5, Duration.ofSeconds(10), ticker);
    for (int i = 0; i < 4; i++) {
      budget.onRequest();
    }
    assertThat(budget.tryAcquireHedge()).isTrue();
    assertThat(budget.tryAcquireHedge()).isTrue();
    assertThat(budget.tryAcquireHedge()).isFalse();
    ticker.advanceSeconds(10);
    assertThat(budget.requestsInWindow()).isZero();
    budget.onRequest();
    budget.onRequest();
    assertThat(budget.tryAcquireHedge()).isTrue();
    assertThat(budget.tryAcquireHedge()).isFalse();
  }
}
