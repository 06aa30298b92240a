package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowConfigTest {
  private static final String HEAD = """
      providers:
        - { name: p, type: mock }
      models:
        - { name: cand, targets: [ { provider: p, model: y } ] }
        - name: m
          targets: [ { provider: p, model: x } ]
      """;

  private static List<ShadowConfig> shadow(String list) {
    return new ConfigLoader(Map.<String, String>of()::get).parse(HEAD + "    shadow: " + list + "\n", "test.yaml")
        .models().get(1).shadow();
  }

  private static List<ConfigProblem> problems(String list) {
    try {
      shadow(list);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems for " + list);
  }

  @Test
  void everyKeyParsesWithItsDefaults() {
    ShadowConfig s = shadow("[ { model: cand, sample: 0.05 } ]").get(0);
    assertThat(s.model()).isEqualTo("cand");
    assertThat(s.sample()).isEqualTo(0.05);
    assertThat(s.maxUsdPerDay()).isNull();
    assertThat(s.maxConcurrency()).isEqualTo(ShadowConfig.DEFAULT_MAX_CONCURRENCY);
    assertThat(s.parallel()).isFalse();
    assertThat(s.compare()).containsExactlyInAnyOrder("exact", "json", "tools");
    ShadowConfig full = shadow("[ { model: p/other, sample: 5%, max_usd_per_day: 5, max_concurrency: 2, parallel: true,"
        + " compare: [exact, similarity], embedding_model: p/embed } ]").get(0);
    assertThat(full.sample()).isEqualTo(0.05);
    assertThat(full.maxUsdPerDay()).isEqualByComparingTo(new BigDecimal("5"));
    assertThat(full.maxConcurrency()).isEqualTo(2);
    assertThat(full.parallel()).isTrue();
    assertThat(full.compare()).containsExactlyInAnyOrder("exact", "similarity");
    assertThat(full.embeddingModel()).isEqualTo("p/embed");
  }

  @Test
  void badValuesAreProblemsWithTheirPaths() {
    assertThat(problems("[ { model: nope, sample: 0.1 } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].model");
    assertThat(problems("[ { model: nope/x } ]")).extracting(ConfigProblem::message)
        .containsExactly("no provider named 'nope' is configured");
    assertThat(problems("[ { model: cand, sample: 1.5 } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].sample");
    assertThat(problems("[ { model: cand, sample: -0.1 } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].sample");
    assertThat(problems("[ { model: m } ]")).extracting(ConfigProblem::message)
        .containsExactly("a model cannot shadow itself");
    assertThat(problems("[ { model: cand, compare: [similarity] } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].embedding_model");
    assertThat(problems("[ { model: cand, compare: [vibes] } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].compare");
    assertThat(problems("[ { model: cand, compare: [similarity], embedding_model: missing } ]"))
        .extracting(ConfigProblem::path).containsExactly("models[1].shadow[0].embedding_model");
    assertThat(problems("[ { model: cand, max_usd_per_day: -1 } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].max_usd_per_day");
    assertThat(problems("[ { model: cand, max_concurrency: 0 } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].max_concurrency");
    assertThat(problems("[ { model: cand, smaple: 0.1 } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].smaple");
    assertThat(problems("[ { sample: 0.1 } ]")).extracting(ConfigProblem::path)
        .containsExactly("models[1].shadow[0].model");
    assertThatThrownBy(() -> shadow("cand")).isInstanceOf(ConfigException.class);
  }
}
