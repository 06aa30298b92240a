package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The loader refuses a catalog with anything wrong in it, naming the model. */
class CatalogLoaderTest {
  private static final String GOOD = """
      version: "t1"
      models:
        - provider: qwen
          id: Qwen3-Max
          aliases: [qwen3-max-2025-09-23]
          input: "1.20"
          output: "6.00"
          tiers:
            - above_input_tokens: 131072
              input: "3.00"
              output: "15.00"
            - above_input_tokens: 32768
              input: "2.40"
              output: "12.00"
          as_of: 2025-09-24
          source: test
      """;

  private static PriceCatalog load(String yaml) {
    return CatalogLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  @Test
  void loadsAWellFormedCatalogWithTiersInOrder() {
    PriceCatalog catalog = load(GOOD);
    assertThat(catalog.version()).isEqualTo("t1");
    ModelPrice p = catalog.find(null, "qwen3-max").orElseThrow();
    assertThat(p.asOf()).isEqualTo(LocalDate.of(2025, 9, 24));
    assertThat(p.tiers()).extracting(Tier::aboveInputTokens).containsExactly(32_768L, 131_072L);
    assertThat(p.ratesFor(32_768).inputPerMtok()).isEqualTo(Micros.parse("1.20"));
    assertThat(p.ratesFor(32_769).inputPerMtok()).isEqualTo(Micros.parse("2.40"));
    assertThat(p.ratesFor(131_073).inputPerMtok()).isEqualTo(Micros.parse("3.00"));
    assertThat(p.cachedInputPerMtok()).as("absent means: same as input").isNull();
    assertThat(p.base().effectiveCachedInput()).isEqualTo(Micros.parse("1.20"));
  }

  @Test
  void refusesAnUnquotedPriceBecauseItWasAlreadyADouble() {
    assertThatThrownBy(() -> load(GOOD.replace("input: \"1.20\"", "input: 1.20")))
        .hasMessageContaining("Qwen3-Max").hasMessageContaining("quoted");
  }

  @Test
  void refusesAMisspelledKey() {
    assertThatThrownBy(() -> load(GOOD.replace("output: \"6.00\"", "output: \"6.00\"\n    cahced_input: \"0.1\"")))
        .hasMessageContaining("cahced_input");
  }

  @Test
  void refusesAMissingPriceDateOrSource() {
    assertThatThrownBy(() -> load(GOOD.replace("    output: \"6.00\"\n", ""))).hasMessageContaining("output");
    assertThatThrownBy(() -> load(GOOD.replace("as_of: 2025-09-24", "as_of: soon"))).hasMessageContaining("as_of");
    assertThatThrownBy(() -> load(GOOD.replace("    as_of: 2025-09-24\n", ""))).hasMessageContaining("as_of");
    assertThatThrownBy(() -> load(GOOD.replace("source: test", "source: \"\""))).hasMessageContaining("source");
  }

  @Test
  void refusesNegativeOrTooFinePricesAndUnknownFamilies() {
    assertThatThrownBy(() -> load(GOOD.replace("\"6.00\"", "\"-6.00\""))).hasMessageContaining("≥ 0");
    assertThatThrownBy(() -> load(GOOD.replace("\"6.00\"", "\"6.0000001\""))).hasMessageContaining("micro-USD");
    assertThatThrownBy(() -> load(GOOD.replace("provider: qwen", "provider: acme"))).hasMessageContaining("acme");
  }

  @Test
  void refusesTwoTiersStartingAtTheSamePromptSize() {
    assertThatThrownBy(() -> load(GOOD.replace("above_input_tokens: 32768", "above_input_tokens: 131072")))
        .hasMessageContaining("131072");
  }
}
