package dev.sluice.cost;

import java.time.LocalDate;
import java.util.List;

/**
 * Fixed prices for the arithmetic tests, written out here rather than read from the bundled
 * catalog so that updating a catalog price never changes what an arithmetic test means. The
 * numbers are those the catalog has for the named model at the time of writing.
 */
final class Prices {
  private static final LocalDate AS_OF = LocalDate.of(2025, 10, 1);

  private Prices() {}

  static Micros usd(String perMtok) {
    return perMtok == null ? null : Micros.parse(perMtok);
  }

  static Rates rates(String input, String output, String cached, String write, String reasoning) {
    return new Rates(usd(input), usd(output), usd(cached), usd(write), usd(reasoning));
  }

  /** OpenAI gpt-4o: cached reads at half price, no write premium. */
  static ModelPrice gpt4o() {
    return ModelPrice.of(rates("2.50", "10.00", "1.25", null, null), AS_OF, "test");
  }

  /** Claude Sonnet 4.5: cache writes dearer than input, reads a tenth; a tier above 200k. */
  static ModelPrice sonnet45() {
    return ModelPrice.of(rates("3.00", "15.00", "0.30", "3.75", null),
        List.of(new Tier(200_000, rates("6.00", "22.50", "0.60", "7.50", null))), AS_OF, "test");
  }

  /** Gemini 2.5 Pro: everything dearer above 200k prompt tokens. */
  static ModelPrice gemini25Pro() {
    return ModelPrice.of(rates("1.25", "10.00", "0.125", null, null),
        List.of(new Tier(200_000, rates("2.50", "15.00", "0.25", null, null))), AS_OF, "test");
  }

  /** OpenAI o3: reasoning tokens billed as output. */
  static ModelPrice o3() {
    return ModelPrice.of(rates("2.00", "8.00", "0.50", null, null), AS_OF, "test");
  }

  /** Qwen-plus: reasoning priced apart from output. */
  static ModelPrice qwenPlus() {
    return ModelPrice.of(rates("0.40", "1.20", null, null, "4.00"), AS_OF, "test");
  }

  /** GPT-5 nano: cheap enough that one call costs less than a micro-dollar. */
  static ModelPrice gpt5Nano() {
    return ModelPrice.of(rates("0.05", "0.40", "0.005", null, null), AS_OF, "test");
  }

  /** Qwen3-Max: two tiers. */
  static ModelPrice qwen3Max() {
    return ModelPrice.of(rates("1.20", "6.00", null, null, null),
        List.of(new Tier(131_072, rates("3.00", "15.00", null, null, null)),
            new Tier(32_768, rates("2.40", "12.00", null, null, null))), AS_OF, "test");
  }
}
