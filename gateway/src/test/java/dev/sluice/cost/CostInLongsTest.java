package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.TokenUsage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cost computed in longs (the per-attempt path) is the {@code BigDecimal} cost to the micro-USD,
 * parts included, for usages of every size and shape, and magnitudes past a long still get the
 * {@code BigDecimal} answer.
 */
class CostInLongsTest {
  @Test
  void longArithmeticGivesTheBigDecimalCostForEveryShapeOfUsage() {
    Random random = new Random(19);
    List<ModelPrice> prices = List.of(Prices.gpt4o(), Prices.sonnet45(),
        ModelPrice.flat("0.000001", "0.000003", "test"), ModelPrice.flat("1234.567891", "0.1", "test"));
    long[] scales = {10, 1_000, 100_000, 10_000_000, 1L << 40};
    for (int i = 0; i < 20_000; i++) {
      long scale = scales[random.nextInt(scales.length)];
      TokenUsage usage = new TokenUsage(n(random, scale), n(random, scale), n(random, scale), n(random, scale),
          n(random, scale), n(random, scale));
      ModelPrice price = prices.get(random.nextInt(prices.size()));
      assertThat(CostCalculator.cost(price, usage)).as("%s %s", price, usage)
          .isEqualTo(CostCalculator.costInBigDecimal(price, usage));
    }
  }

  @Test
  void productsPastALongAreStillExact() {
    // 10^15 tokens at $2.50/Mtok: the product passes a long, the total in micro-USD does not
    TokenUsage huge = new TokenUsage(1_000_000_000_000_000L, 3_000_000_000_000L, 7, 0, 0);
    assertThat(CostCalculator.cost(Prices.gpt4o(), huge)).isEqualTo(CostCalculator.costInBigDecimal(Prices.gpt4o(), huge));
  }

  /** Mostly in range, sometimes zero or negative (an adapter's odd report). */
  private static long n(Random random, long scale) {
    int pick = random.nextInt(10);
    return pick == 0 ? 0 : pick == 1 ? -random.nextInt(1000) : (long) (random.nextDouble() * scale);
  }
}
