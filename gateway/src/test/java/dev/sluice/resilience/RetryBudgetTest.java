package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void defaultsAreTwentyPercentOverTenSecondsWithAFloorOfOnePerSecond() {
    assertThat(RetryBudget.Config.defaults()).isEqualTo(new RetryBudget.Config(0.2, Duration.ofSeconds(10), 1));
  }

  @Test
  void allFailingTargetUnderSteadyLoadRetriesAtMostTheRatioPlusTheFloor() {
    RetryBudget budget = new RetryBudget(ticker);
    int retries = 0;
    for (int i = 0; i < 1_000; i++) { // 1000 requests in 9s, all failing, each wanting a retry
      budget.onRequest();
      if (budget.tryAcquireRetry()) {
        retries++;
      }
      ticker.advanceMillis(9);
    }
    assertThat(retries).isLessThanOrEqualTo((int) (0.2 * 1_000)); // the floor is a minimum, not an addition
    assertThat(retries).as("the budget is used, not just refused").isGreaterThanOrEqualTo(200);
    assertThat(budget.retriesInWindow()).isEqualTo(retries);
  }

  @Test
  void retriesStayWithinTheRatioOverLongRuns() {
    RetryBudget budget = new RetryBudget(ticker);
    int retries = 0;
    for (int i = 0; i < 10_000; i++) { // 100 s of 100 requests per second
      budget.onRequest();
      while (budget.tryAcquireRetry()) {
        retries++; // a caller that retries as much as it is allowed
      }
      ticker.advanceMillis(10);
    }
    // Each 10 s window allows 20% of its requests (the floor of 10 is below that at this load).
    assertThat(retries).isLessThanOrEqualTo((int) (0.2 * 10_000) + 20);
  }

  @Test
  void quietTargetCanStillRetryThanksToTheFloor() {
    RetryBudget budget = new RetryBudget(ticker);
    budget.onRequest();
    assertThat(budget.tryAcquireRetry()).isTrue();
  }

  @Test
  void recoversAsTheWindowSlides() {
    RetryBudget budget = new RetryBudget(ticker);
    for (int i = 0; i < 100; i++) {
      budget.onRequest();
    }
    int granted = 0;
    while (budget.tryAcquireRetry()) {
      granted++;
    }
    assertThat(granted).isEqualTo(20); // max(0.2 × 100, floor 10)
    ticker.advanceSeconds(5);
    assertThat(budget.tryAcquireRetry()).as("still inside the window").isFalse();
    ticker.advanceSeconds(6);
    assertThat(budget.requestsInWindow()).isZero();
    assertThat(budget.tryAcquireRetry()).as("the old retries slid out: the floor is back").isTrue();
    for (int i = 0; i < 50; i++) {
      budget.onRequest();
    }
    int more = 1;
    while (budget.tryAcquireRetry()) {
      more++;
    }
    assertThat(more).isEqualTo(10); // max(0.2 × 50, floor 10)
  }

  @Test
  void zeroFloorMeansNoRetriesWithoutRequests() {
    RetryBudget budget = new RetryBudget(new RetryBudget.Config(0.5, Duration.ofSeconds(10), 0), ticker);
    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.onRequest();
    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.onRequest();
    assertThat(budget.tryAcquireRetry()).isTrue();
  }

  @Test
  void configRejectsNonsense() {
    assertThatThrownBy(() -> new RetryBudget.Config(-0.1, Duration.ofSeconds(10), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryBudget.Config(0.2, Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryBudget.Config(0.2, Duration.ofSeconds(10), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
