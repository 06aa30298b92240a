package dev.sluice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Target;
import dev.sluice.cost.PriceCatalog;
import org.junit.jupiter.api.Test;

/** Pricing memoizes catalog look-ups per target; the answers must be the catalog's, and exact per target. */
class PricingMemoTest {
  private final PriceCatalog catalog = PriceCatalog.bundled();
  private final Pricing pricing = new Pricing(catalog);

  @Test
  void memoizedPricesAreTheCatalogs() {
    for (String model : new String[] {"gpt-4o", "gpt-4o-2024-11-20", "openai/gpt-4o-mini", "no-such-model"}) {
      Target t = new Target("openai", model, 1);
      assertThat(pricing.priceFor(t)).as(model).isEqualTo(catalog.find("openai", model));
      assertThat(pricing.priceFor(t)).as(model + " again").isEqualTo(catalog.find("openai", model));
    }
  }

  @Test
  void labelsThatCollideAreNotConfused() {
    // Both labels read "a/gpt-4o/x": the memo must not hand one target the other's price.
    Target slashInModel = new Target("a", "gpt-4o/x", 1);
    Target slashInProvider = new Target("a/gpt-4o", "x", 1);
    assertThat(slashInModel.label()).isEqualTo(slashInProvider.label());
    assertThat(pricing.priceFor(slashInModel)).isEqualTo(catalog.find("a", "gpt-4o/x"));
    assertThat(pricing.priceFor(slashInProvider)).isEqualTo(catalog.find("a/gpt-4o", "x"));
  }
}
