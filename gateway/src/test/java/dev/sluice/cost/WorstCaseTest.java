package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.TokenUsage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorstCaseTest {

  @Test
  void pricesEveryPromptTokenAtTheDearestPromptPrice() {
    // Sonnet 4.5: a cache write ($3.75) costs more than plain input ($3), so the bound uses it.
    Micros bound = WorstCase.worstCase(Prices.sonnet45(), 10_000, 2_000);
    assertThat(bound.value()).isEqualTo(37_500 + 30_000); // 10,000 × $3.75 + 2,000 × $15
  }

  @Test
  void usesTheTierThePromptSelects() {
    Micros bound = WorstCase.worstCase(Prices.sonnet45(), 250_000, 1_000);
    assertThat(bound.value()).isEqualTo(1_875_000 + 22_500); // 250,000 × $7.50 + 1,000 × $22.50
  }

  @Test
  void pricesOutputAtTheDearerOfOutputAndReasoning() {
    Micros bound = WorstCase.worstCase(Prices.qwenPlus(), 1_000, 1_000);
    assertThat(bound.value()).isEqualTo(400 + 4_000); // 1,000 × $0.40 + 1,000 × $4 (reasoning)
  }

  @Test
  void isAtLeastTheCostOfAnyUsageWithinTheLimitsForEveryBundledModel() {
    SplittableRandom random = new SplittableRandom(11);
    for (PricedModel model : PriceCatalog.bundled().entries()) {
      ModelPrice price = model.price();
      for (int i = 0; i < 300; i++) {
        long input = random.nextLong(300_000);
        long maxOutput = random.nextLong(64_000);
        Micros bound = WorstCase.worstCase(price, input, maxOutput);
        long cached = random.nextLong(input + 1);
        long write = random.nextLong(input - cached + 1);
        long output = random.nextLong(maxOutput + 1);
        long reasoning = random.nextLong(output + 1);
        TokenUsage usage = new TokenUsage(input, output, cached, write, reasoning);
        assertThat(CostCalculator.cost(price, usage).total()).as(model.id() + " " + usage)
            .isLessThanOrEqualTo(bound);
      }
      // The extremes: all prompt tokens of the dearest kind, all output of the dearest kind.
      TokenUsage allWrites = new TokenUsage(150_000, 8_000, 0, 150_000, 8_000);
      assertThat(CostCalculator.cost(price, allWrites).total()).isLessThanOrEqualTo(
          WorstCase.worstCase(price, 150_000, 8_000));
    }
  }

  @Test
  void computedInLongsIsTheExactHalfUpRoundingIncludingNearOverflow() {
    SplittableRandom random = new SplittableRandom(19);
    for (PricedModel model : PriceCatalog.bundled().entries()) {
      ModelPrice price = model.price();
      for (int i = 0; i < 200; i++) {
        // small counts (the long path), and counts whose products pass 2^63 (the BigDecimal path)
        long input = i % 2 == 0 ? random.nextLong(2_000_000) : random.nextLong(Long.MAX_VALUE / 2);
        long maxOutput = i % 3 == 0 ? random.nextLong(Long.MAX_VALUE / 2) : random.nextLong(200_000);
        Rates rates = price.ratesFor(input);
        java.math.BigDecimal exact = CostCalculator.perMtok(input, rates.highestInput())
            .add(CostCalculator.perMtok(maxOutput, rates.highestOutput()));
        Micros bound;
        try {
          bound = WorstCase.worstCase(price, input, maxOutput);
        } catch (ArithmeticException beyondALong) {
          assertThat(exact.setScale(0, java.math.RoundingMode.HALF_UP).toBigInteger().bitLength()).isGreaterThan(63);
          continue;
        }
        assertThat(bound).as(model.id() + " " + input + " " + maxOutput).isEqualTo(Micros.roundHalfUp(exact));
      }
    }
  }

  @Test
  void roundsHalfAMicroUsdUp() {
    ModelPrice price = ModelPrice.flat("0.000001", "0.000001", "test"); // 1 µUSD per million tokens
    assertThat(WorstCase.worstCase(price, 499_999, 0).value()).isZero();
    assertThat(WorstCase.worstCase(price, 250_000, 250_000).value()).isEqualTo(1);
    assertThat(WorstCase.worstCase(price, 1_499_999, 0).value()).isEqualTo(1);
  }

  @Test
  void refusesNegativeCounts() {
    assertThatThrownBy(() -> WorstCase.worstCase(Prices.gpt4o(), -1, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorstCase.worstCase(Prices.gpt4o(), 10, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
