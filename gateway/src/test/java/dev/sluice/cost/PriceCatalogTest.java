package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {
  private final PriceCatalog catalog = PriceCatalog.bundled();

  private Micros inputPrice(String provider, String model) {
    return catalog.find(provider, model).orElseThrow(() -> new AssertionError("no price for " + model))
        .inputPerMtok();
  }

  @Test
  void findsByExactId() {
    assertThat(inputPrice("openai", "gpt-4o")).isEqualTo(Micros.parse("2.50"));
    assertThat(inputPrice(null, "claude-haiku-4-5")).isEqualTo(Micros.parse("1.00"));
    assertThat(inputPrice(null, "deepseek-reasoner")).isEqualTo(Micros.parse("0.28"));
  }

  @Test
  void findsByAlias() {
    assertThat(catalog.find(null, "claude-sonnet-4-5-20250929")).isEqualTo(catalog.find(null, "claude-sonnet-4-5"));
    assertThat(catalog.find(null, "mistral-large-latest")).isEqualTo(catalog.find(null, "mistral-large"));
    assertThat(catalog.find(null, "claude-sonnet-4.5")).isEqualTo(catalog.find(null, "claude-sonnet-4-5"));
  }

  @Test
  void findsDatedSnapshotsNotListedAsAliases() {
    assertThat(catalog.find("openai", "gpt-4o-2024-11-20")).isEqualTo(catalog.find("openai", "gpt-4o"));
    assertThat(catalog.find(null, "gpt-5-mini-2026-01-15")).isEqualTo(catalog.find(null, "gpt-5-mini"));
    assertThat(catalog.find(null, "claude-haiku-4-5-20260101")).isEqualTo(catalog.find(null, "claude-haiku-4-5"));
    assertThat(catalog.find(null, "qwen-plus-2025-09-11")).isEqualTo(catalog.find(null, "qwen-plus"));
    assertThat(catalog.find(null, "mistral-small-2501")).isEqualTo(catalog.find(null, "mistral-small"));
    assertThat(catalog.find(null, "gemini-2.5-flash-002")).isEqualTo(catalog.find(null, "gemini-2.5-flash"));
  }

  @Test
  void neverTakesOneModelForAnotherWhoseNameItStartsWith() {
    assertThat(inputPrice(null, "gpt-4o-mini-2024-07-18")).isEqualTo(Micros.parse("0.15"));
    assertThat(inputPrice(null, "gpt-4.1-nano")).isEqualTo(Micros.parse("0.10"));
    assertThat(catalog.find(null, "gpt-4o-mini-tts")).isEmpty();
    assertThat(catalog.find(null, "gpt")).isEmpty();
  }

  @Test
  void anExactIdWinsOverATolerantMatch() {
    // gpt-4o-2024-05-13 kept its launch price; stripping its date would price it as gpt-4o.
    assertThat(inputPrice(null, "gpt-4o-2024-05-13")).isEqualTo(Micros.parse("5.00"));
    assertThat(inputPrice(null, "mistral-large-2411")).isEqualTo(Micros.parse("2.00"));
    assertThat(inputPrice(null, "mistral-large-2512")).isEqualTo(Micros.parse("0.50"));
  }

  @Test
  void findsThroughProviderAndRoutingPrefixes() {
    Optional<ModelPrice> gpt4o = catalog.find(null, "gpt-4o");
    assertThat(catalog.find(null, "openai/gpt-4o")).isEqualTo(gpt4o);
    assertThat(catalog.find("openrouter", "OpenAI/GPT-4o-2024-08-06")).isEqualTo(gpt4o);
    Optional<ModelPrice> pro = catalog.find(null, "gemini-2.5-pro");
    assertThat(catalog.find("gemini", "models/gemini-2.5-pro")).isEqualTo(pro);
    assertThat(catalog.find(null, "publishers/google/models/gemini-2.5-pro")).isEqualTo(pro);
    Optional<ModelPrice> sonnet = catalog.find(null, "claude-sonnet-4-5");
    assertThat(catalog.find(null, "anthropic/claude-sonnet-4.5")).isEqualTo(sonnet);
    assertThat(catalog.find(null, "us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo(sonnet);
    assertThat(catalog.find(null, "claude-sonnet-4-5@20250929")).isEqualTo(sonnet);
  }

  @Test
  void anUnknownModelHasNoPrice() {
    assertThat(catalog.find("ollama", "llama-3.1-70b")).isEmpty();
    assertThat(catalog.find(null, "")).isEmpty();
    assertThat(catalog.find(null, null)).isEmpty();
  }

  @Test
  void overridesWinForTheirTargetAndLeaveTheBundledCatalogAlone() {
    ModelPrice negotiated = ModelPrice.flat("1.00", "4.00", "contract");
    PriceCatalog withOverride = catalog.withOverrides(Map.of("OpenAI/gpt-4o", negotiated, "mock/mock-1",
        ModelPrice.flat("0", "0", "mock")));

    assertThat(withOverride.find("openai", "gpt-4o")).contains(negotiated);
    assertThat(withOverride.find("openai", "gpt-4o-2024-11-20")).as("tolerant forms too").contains(negotiated);
    assertThat(withOverride.find(null, "openai/gpt-4o")).as("label spelled as the model").contains(negotiated);
    assertThat(withOverride.find("azure", "gpt-4o")).as("another target").isEqualTo(catalog.find(null, "gpt-4o"));
    assertThat(withOverride.find("mock", "mock-1")).as("a model the catalog lacks").isPresent();
    assertThat(catalog.find("openai", "gpt-4o").orElseThrow().inputPerMtok()).isEqualTo(Micros.parse("2.50"));
    assertThat(withOverride.version()).isEqualTo(catalog.version() + "+overrides");
  }

  @Test
  void aBareModelOverrideAppliesWhateverTheProvider() {
    ModelPrice own = ModelPrice.flat("0.01", "0.02", "self-hosted");
    PriceCatalog withOverride = catalog.withOverrides(Map.of("deepseek-chat", own));
    assertThat(withOverride.find("deepseek", "deepseek-chat")).contains(own);
    assertThat(withOverride.find(null, "deepseek-chat")).contains(own);
    PriceCatalog later = withOverride.withOverrides(Map.of("deepseek-chat", Prices.gpt4o()));
    assertThat(later.find(null, "deepseek-chat")).as("a later override replaces").contains(Prices.gpt4o());
  }

  @Test
  void bundledCatalogCoversTheMajorModels() {
    assertThat(catalog.version()).isNotBlank();
    List<String> required = List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3",
        "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "text-embedding-3-small",
        "text-embedding-3-large", "claude-opus-4-1", "claude-sonnet-4-5", "claude-sonnet-4", "claude-haiku-4-5",
        "claude-3-5-haiku", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash",
        "deepseek-chat", "deepseek-reasoner", "qwen-max", "qwen-plus", "qwen-turbo", "qwen3-max", "mistral-large",
        "mistral-medium", "mistral-small", "codestral");
    assertThat(catalog.entries()).extracting(PricedModel::id).containsAll(required);
    assertThat(catalog.entries()).extracting(PricedModel::provider).containsAll(PricedModel.FAMILIES);
  }

  @Test
  void everyBundledPriceIsDatedSourcedAndNonNegative() {
    LocalDate compiled = LocalDate.parse(catalog.version());
    for (PricedModel model : catalog.entries()) {
      ModelPrice p = model.price();
      assertThat(p.asOf()).as(model.id() + " as_of").isNotNull()
          .isAfter(LocalDate.of(2023, 1, 1)).isBeforeOrEqualTo(compiled);
      assertThat(p.source()).as(model.id() + " source").isNotBlank();
      assertThat(PricedModel.FAMILIES).contains(model.provider());
      assertThat(List.of(p.base())).as(model.id()).allSatisfy(PriceCatalogTest::wellFormed);
      p.tiers().forEach(t -> wellFormed(t.rates()));
      assertThat(p.outputPerMtok().isZero() && !model.id().contains("embed")) // embeddings: input only
          .as(model.id() + " has no output price").isFalse();
    }
  }

  @Test
  void bundledLongContextTiersAreWhereTheProvidersPutThem() {
    ModelPrice pro = catalog.find(null, "gemini-2.5-pro").orElseThrow();
    assertThat(pro.tiers()).extracting(Tier::aboveInputTokens).containsExactly(200_000L);
    assertThat(pro.ratesFor(200_001).inputPerMtok()).isEqualTo(Micros.parse("2.50"));
    ModelPrice sonnet4 = catalog.find("anthropic", "claude-sonnet-4-20250514").orElseThrow();
    assertThat(sonnet4.ratesFor(200_001).outputPerMtok()).isEqualTo(Micros.parse("22.50"));
    assertThat(catalog.find(null, "claude-haiku-4-5").orElseThrow().tiers()).isEmpty();
  }

  @Test
  void bundledIsParsedOnce() {
    assertThat(PriceCatalog.bundled()).isSameAs(PriceCatalog.bundled());
  }

  @Test
  void aNameMayNotBelongToTwoModels() {
    PricedModel a = new PricedModel("openai", "a", List.of("shared"), Prices.gpt4o());
    PricedModel b = new PricedModel("openai", "b", List.of("shared"), Prices.o3());
    assertThatThrownBy(() -> PriceCatalog.of("t", List.of(a, b))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shared");
  }

  private static void wellFormed(Rates r) {
    assertThat(r.inputPerMtok()).isNotNull();
    assertThat(r.outputPerMtok()).isNotNull();
    for (Micros price : new Micros[] {r.inputPerMtok(), r.outputPerMtok(), r.effectiveCachedInput(),
        r.effectiveCacheWrite(), r.effectiveReasoning()}) {
      assertThat(price.isNegative()).isFalse();
    }
  }
}
