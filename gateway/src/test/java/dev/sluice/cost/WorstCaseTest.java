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
  void refusesNegativeCounts() {
    assertThatThrownBy(() -> WorstCase.worstCase(Prices.gpt4o(), -1, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorstCase.worstCase(Prices.gpt4o(), 10, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
