package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.TokenUsage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Expected amounts are worked by hand: tokens × $/Mtok = µUSD (1,000 tokens at $2.50 = 2,500 µUSD). */
class CostCalculatorTest {

  @Test
  void openAiCachedReadsCostTheCachedPrice() {
    // 10,000 prompt tokens, 4,000 of them cache hits; 500 out.
    Cost cost = CostCalculator.cost(Prices.gpt4o(), new TokenUsage(10_000, 500, 4_000, 0, 0));

    assertThat(cost.input().value()).isEqualTo(15_000);     // 6,000 × $2.50
    assertThat(cost.cachedRead().value()).isEqualTo(5_000); // 4,000 × $1.25
    assertThat(cost.cacheWrite().value()).isZero();
    assertThat(cost.output().value()).isEqualTo(5_000);     // 500 × $10
    assertThat(cost.reasoning().value()).isZero();
    assertThat(cost.total().value()).isEqualTo(25_000);
    assertThat(cost.priceKnown()).isTrue();

    Cost uncached = CostCalculator.cost(Prices.gpt4o(), new TokenUsage(10_000, 500, 0, 0, 0));
    assertThat(uncached.total().value()).as("the same call without cache hits").isEqualTo(30_000);
  }

  @Test
  void anthropicCacheWritesCostAPremiumAndReadsADiscount() {
    // 50,000 prompt tokens: 20,000 written to the cache, 25,000 read from it, 5,000 plain.
    Cost cost = CostCalculator.cost(Prices.sonnet45(), new TokenUsage(50_000, 1_000, 25_000, 20_000, 0));

    assertThat(cost.input().value()).isEqualTo(15_000);      // 5,000 × $3
    assertThat(cost.cacheWrite().value()).isEqualTo(75_000); // 20,000 × $3.75, more than 20,000 × $3
    assertThat(cost.cachedRead().value()).isEqualTo(7_500);  // 25,000 × $0.30
    assertThat(cost.output().value()).isEqualTo(15_000);     // 1,000 × $15
    assertThat(cost.total().value()).isEqualTo(112_500);
  }

  @Test
  void anthropicOneHourCacheWritesCostTwiceTheInputPrice() {
    // 20,000 written: 8,000 for five minutes, 12,000 for an hour; 25,000 read; 5,000 plain.
    Cost cost = CostCalculator.cost(Prices.sonnet45(), new TokenUsage(50_000, 1_000, 25_000, 20_000, 0, 12_000));

    assertThat(cost.cacheWrite().value()).isEqualTo(30_000 + 72_000); // 8,000 × $3.75 + 12,000 × $6
    assertThat(cost.input().value()).isEqualTo(15_000);
    assertThat(cost.cachedRead().value()).isEqualTo(7_500);
    assertThat(cost.total().value()).isEqualTo(15_000 + 102_000 + 7_500 + 15_000);
    // A one-hour count above the writes (contradictory usage) never charges more than all writes at 2×.
    Cost odd = CostCalculator.cost(Prices.sonnet45(), new TokenUsage(50_000, 0, 0, 1_000, 0, 5_000));
    assertThat(odd.cacheWrite().value()).isEqualTo(6_000);
  }

    @Test
  void geminiSwitchesToTheLongContextTierAbove200kPromptTokens() {
    ModelPrice pro = Prices.gemini25Pro();

    Cost atThreshold = CostCalculator.cost(pro, new TokenUsage(200_000, 1_000, 0, 0, 0));
    assertThat(atThreshold.total().value()).as("200k is not above 200k").isEqualTo(250_000 + 10_000);

    // 200,001 × $2.50 = 500,002.5 µUSD; 1,000 × $15 = 15,000; the half rounds up once, on the total.
    Cost above = CostCalculator.cost(pro, new TokenUsage(200_001, 1_000, 0, 0, 0));
    assertThat(above.total().value()).isEqualTo(515_003);
    assertThat(above.input().value()).isEqualTo(500_003);
    assertThat(above.output().value()).isEqualTo(15_000);

    // In the tier cached reads use the tier's cached price too.
    Cost cachedAbove = CostCalculator.cost(pro, new TokenUsage(300_000, 2_000, 100_000, 0, 0));
    assertThat(cachedAbove.input().value()).isEqualTo(500_000);     // 200,000 × $2.50
    assertThat(cachedAbove.cachedRead().value()).isEqualTo(25_000); // 100,000 × $0.25
    assertThat(cachedAbove.output().value()).isEqualTo(30_000);     // 2,000 × $15
    assertThat(cachedAbove.total().value()).isEqualTo(555_000);
  }

  @Test
  void cachedTokensCountTowardTheTierThreshold() {
    // Anthropic decides the tier on the whole prompt, cache reads included.
    Cost cost = CostCalculator.cost(Prices.sonnet45(), new TokenUsage(250_000, 0, 200_000, 0, 0));
    assertThat(cost.input().value()).isEqualTo(300_000);      // 50,000 × $6
    assertThat(cost.cachedRead().value()).isEqualTo(120_000); // 200,000 × $0.60
  }

  @Test
  void reasoningTokensArePartOfOutputAndCostOutputPriceWhenNotPricedApart() {
    // o3: 5,000 output tokens of which 4,000 are reasoning.
    Cost cost = CostCalculator.cost(Prices.o3(), new TokenUsage(1_000, 5_000, 0, 0, 4_000));
    assertThat(cost.input().value()).isEqualTo(2_000);      // 1,000 × $2
    assertThat(cost.output().value()).isEqualTo(8_000);     // 1,000 plain × $8
    assertThat(cost.reasoning().value()).isEqualTo(32_000); // 4,000 × $8
    assertThat(cost.total().value()).isEqualTo(42_000);
  }

  @Test
  void reasoningTokensCostTheReasoningPriceWhenTheProviderPricesThemApart() {
    Cost cost = CostCalculator.cost(Prices.qwenPlus(), new TokenUsage(2_000, 3_000, 0, 0, 2_500));
    assertThat(cost.input().value()).isEqualTo(800);        // 2,000 × $0.40
    assertThat(cost.output().value()).isEqualTo(600);       // 500 × $1.20
    assertThat(cost.reasoning().value()).isEqualTo(10_000); // 2,500 × $4
    assertThat(cost.total().value()).isEqualTo(11_400);
  }

  @Test
  void anUnknownPriceIsZeroButFlaggedNotFree() {
    TokenUsage usage = new TokenUsage(1_000, 1_000, 0, 0, 0);
    Cost unknown = CostCalculator.cost(Optional.empty(), usage);
    assertThat(unknown.priceKnown()).isFalse();
    assertThat(unknown.total()).isEqualTo(Micros.ZERO);
    assertThat(CostCalculator.unknown()).isEqualTo(unknown).isEqualTo(Cost.unknown());

    Cost known = CostCalculator.cost(Optional.of(Prices.gpt4o()), usage);
    assertThat(known.priceKnown()).isTrue();
    assertThat(known.total().value()).isEqualTo(12_500);

    Cost free = CostCalculator.cost(Prices.gpt4o(), TokenUsage.ZERO);
    assertThat(free.total()).isEqualTo(Micros.ZERO);
    assertThat(free.priceKnown()).as("a known price for no tokens is a real zero").isTrue();
  }

  @Test
  void roundsTheAttemptOnceNotEachKindOfToken() {
    // 7 × $0.05 = 0.35 µUSD and 1 × $0.40 = 0.40 µUSD: each alone rounds to 0, together to 1.
    Cost cost = CostCalculator.cost(Prices.gpt5Nano(), new TokenUsage(7, 1, 0, 0, 0));
    assertThat(cost.total().value()).isEqualTo(1);
    assertThat(cost.output().value()).as("the unit goes to the larger remainder").isEqualTo(1);
    assertThat(cost.input().value()).isZero();

    // Exactly half a micro-dollar rounds up.
    assertThat(CostCalculator.cost(Prices.gpt5Nano(), new TokenUsage(10, 0, 0, 0, 0)).total().value()).isEqualTo(1);
    assertThat(CostCalculator.cost(Prices.gpt5Nano(), new TokenUsage(9, 0, 0, 0, 0)).total().value()).isZero();
  }

  @Test
  void partsAlwaysAddUpToTheTotalAndStayWithinAMicroDollarOfExact() {
    SplittableRandom random = new SplittableRandom(7);
    List<ModelPrice> prices = List.of(Prices.gpt4o(), Prices.sonnet45(), Prices.gemini25Pro(), Prices.o3(),
        Prices.qwenPlus(), Prices.gpt5Nano(), Prices.qwen3Max());
    for (int i = 0; i < 5_000; i++) {
      ModelPrice price = prices.get(random.nextInt(prices.size()));
      long input = random.nextLong(400_000);
      long cached = random.nextLong(input + 1);
      long write = random.nextLong(input - cached + 1);
      long output = random.nextLong(70_000);
      long reasoning = random.nextLong(output + 1);
      TokenUsage usage = new TokenUsage(input, output, cached, write, reasoning);
      Cost cost = CostCalculator.cost(price, usage);

      long sum = cost.input().value() + cost.cachedRead().value() + cost.cacheWrite().value()
          + cost.output().value() + cost.reasoning().value();
      assertThat(sum).as(usage.toString()).isEqualTo(cost.total().value());
      BigDecimal exact = CostCalculator.exactMicros(price, usage);
      assertThat(BigDecimal.valueOf(cost.total().value()).subtract(exact).abs())
          .as("one rounding, half up").isLessThanOrEqualTo(new BigDecimal("0.5"));
      Rates r = price.ratesFor(input);
      assertThat(within1(cost.cachedRead(), CostCalculator.perMtok(cached, r.effectiveCachedInput()))).isTrue();
      assertThat(within1(cost.reasoning(), CostCalculator.perMtok(reasoning, r.effectiveReasoning()))).isTrue();
    }
  }

  @Test
  void contradictoryCountsNeverChargeNegativeAmountsNorUndercharge() {
    // More cache hits than prompt tokens, more reasoning than output: charge what was reported.
    Cost cost = CostCalculator.cost(Prices.gpt4o(), new TokenUsage(100, 10, 150, 0, 20));
    assertThat(cost.input().value()).isZero();
    assertThat(cost.cachedRead().value()).isEqualTo(188); // 150 × $1.25 = 187.5
    assertThat(cost.output().value()).isZero();
    assertThat(cost.reasoning().value()).isEqualTo(200);  // 20 × $10
    Cost negative = CostCalculator.cost(Prices.gpt4o(), new TokenUsage(-5, -5, -5, -5, -5));
    assertThat(negative.total()).isEqualTo(Micros.ZERO);
  }

  private static boolean within1(Micros part, BigDecimal exact) {
    return BigDecimal.valueOf(part.value()).subtract(exact).abs().compareTo(BigDecimal.ONE) < 0;
  }
}
