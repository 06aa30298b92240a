package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.TokenUsage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostForecastTest {
  private static final ModelPrice GPT_4O_MINI =
      ModelPrice.of(Prices.rates("0.15", "0.60", "0.075", null, null), null, "test");

  @Test
  void forecastsAHandWorkedExample() {
    // 1,000 in × $0.15 = 150 µUSD; 500 out × $0.60 = 300 µUSD; 450 µUSD a request.
    // Day: 450 × 2 rps × 86,400 s × 1.1 = 85,536,000 µUSD ($85.536). Month: × 30 = $2,566.08.
    CostForecast f = CostForecast.estimate(GPT_4O_MINI, new BigDecimal("2"), 1_000, 500, new BigDecimal("0.1"));

    assertThat(f.perRequest().value()).isEqualTo(450);
    assertThat(f.perDay().value()).isEqualTo(85_536_000);
    assertThat(f.perMonth().value()).isEqualTo(2_566_080_000L);
    assertThat(f.perMonth().toUsdString()).isEqualTo("2566.080000");

    CostForecast.Assumptions a = f.assumptions();
    assertThat(a.requestsPerSecond()).isEqualByComparingTo("2");
    assertThat(a.inputTokensPerRequest()).isEqualTo(1_000);
    assertThat(a.outputTokensPerRequest()).isEqualTo(500);
    assertThat(a.retryRate()).isEqualByComparingTo("0.1");
    assertThat(a.secondsPerDay()).isEqualTo(86_400);
    assertThat(a.daysPerMonth()).isEqualTo(30);
    assertThat(a.priceSource()).isEqualTo("test");
  }

  @Test
  void scalesTheExactPerRequestCostNotTheRoundedOne() {
    // 10 tokens × $0.05 = 0.5 µUSD a request: rounded alone that is 1, but a day of one request a
    // second is 43,200 µUSD, not 86,400.
    CostForecast f = CostForecast.estimate(Prices.gpt5Nano(), BigDecimal.ONE, 10, 0, BigDecimal.ZERO);
    assertThat(f.perRequest().value()).isEqualTo(1);
    assertThat(f.perDay().value()).isEqualTo(43_200);
    assertThat(f.perMonth().value()).isEqualTo(1_296_000);
  }

  @Test
  void acceptsFractionalRatesExactly() {
    // Half a request a second at 450 µUSD: 450 × 0.5 × 86,400 = 19,440,000.
    CostForecast f = CostForecast.estimate(GPT_4O_MINI, new BigDecimal("0.5"), 1_000, 500, BigDecimal.ZERO);
    assertThat(f.perDay().value()).isEqualTo(19_440_000);
    assertThat(f.perMonth().value()).isEqualTo(583_200_000);
  }

  @Test
  void usesTheTierTheForecastPromptSelects() {
    CostForecast f = CostForecast.estimate(Prices.gemini25Pro(), BigDecimal.ONE, 300_000, 0, BigDecimal.ZERO);
    assertThat(f.perRequest().value()).isEqualTo(750_000); // 300,000 × $2.50
  }

  @Test
  void refusesNegativeInputs() {
    assertThatThrownBy(() -> CostForecast.estimate(GPT_4O_MINI, new BigDecimal("-1"), 1, 1, BigDecimal.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CostForecast.estimate(GPT_4O_MINI, BigDecimal.ONE, 1, 1, new BigDecimal("-0.1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CostForecast.estimate(GPT_4O_MINI, BigDecimal.ONE, -1, 1, BigDecimal.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replayPricesRecordedTrafficAtAnotherModel() {
    List<TokenUsage> recorded = List.of(
        new TokenUsage(10_000, 500, 4_000, 0, 0), // 25,000 µUSD at gpt-4o (see CostCalculatorTest)
        new TokenUsage(1_000, 1_000, 0, 0, 0),    // 2,500 + 10,000
        TokenUsage.ZERO);
    assertThat(CostForecast.replayCost(recorded, Prices.gpt4o()).value()).isEqualTo(37_500);
    // The same traffic on gpt-4o-mini: 6,000×0.15 + 4,000×0.075 + 500×0.60 = 1,500; 150 + 600 = 750.
    assertThat(CostForecast.replayCost(recorded, GPT_4O_MINI).value()).isEqualTo(2_250);
    assertThat(CostForecast.replayCost(List.of(), GPT_4O_MINI)).isEqualTo(Micros.ZERO);
  }

  @Test
  void replayRoundsEachAttemptOnceAsItWouldHaveBeenBilled() {
    // Three attempts of 0.5 µUSD each: 1 + 1 + 1, not round(1.5).
    List<TokenUsage> recorded = List.of(new TokenUsage(10, 0, 0, 0, 0), new TokenUsage(10, 0, 0, 0, 0),
        new TokenUsage(10, 0, 0, 0, 0));
    assertThat(CostForecast.replayCost(recorded, Prices.gpt5Nano()).value()).isEqualTo(3);
  }
}
