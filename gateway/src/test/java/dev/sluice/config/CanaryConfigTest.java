package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code canary:} and {@code sticky:} of a model entry. */
class CanaryConfigTest {
  private static final String PROVIDERS = """
      providers:
        - { name: p, type: mock }
      """;

  private static List<ModelConfig> models(String chatKeys) {
    String yaml = PROVIDERS + "models:\n  - { name: chat, targets: [ { provider: p, model: x } ]"
        + (chatKeys.isEmpty() ? "" : ", " + chatKeys) + " }\n"
        + "  - { name: chat-next, targets: [ { provider: p, model: y } ] }\n";
    return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml").models();
  }

  private static CanaryConfig canary(String chatKeys) {
    return models(chatKeys).get(0).canary();
  }

  private static List<String> problems(String chatKeys) {
    try {
      models(chatKeys);
    } catch (ConfigException e) {
      return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
    throw new AssertionError("expected a config problem");
  }

  @Test
  void parsesTheFullCanaryWithPercentsOrFractions() {
    CanaryConfig c = canary("canary: { model: chat-next, start: 1%, step: 10%, every: 10m, max: 100%,"
        + " rollback_if: { error_rate: 2%, p95_ttft: 2s, min_requests: 200 } }");
    assertThat(c).isEqualTo(new CanaryConfig("chat-next", 0.01, 0.10, Duration.ofMinutes(10), 1.0, 0.02,
        Duration.ofSeconds(2), 200));
    CanaryConfig f = canary("canary: { model: chat-next, start: 0.05, step: 0.2, max: 0.5,"
        + " rollback_if: { error_rate: 0.1 } }");
    assertThat(f.start()).isEqualTo(0.05);
    assertThat(f.step()).isEqualTo(0.2);
    assertThat(f.max()).isEqualTo(0.5);
    assertThat(f.errorRate()).isEqualTo(0.1);
    assertThat(f.p95Ttft()).as("TTFT not judged unless asked").isNull();
  }

  @Test
  void defaultsAndProviderModelTargets() {
    CanaryConfig c = canary("canary: { model: p/other-model }");
    assertThat(c).isEqualTo(new CanaryConfig("p/other-model", 0.01, 0.10, Duration.ofMinutes(10), 1.0, 0.02, null, 200));
    assertThat(models("").get(0).canary()).isNull();
  }

  @Test
  void stickyIsOnUnlessTurnedOff() {
    assertThat(models("").get(0).sticky()).isTrue();
    assertThat(models("sticky: false").get(0).sticky()).isFalse();
    assertThat(problems("sticky: sometimes")).containsExactly("models[0].sticky: must be true or false");
  }

  @Test
  void badCanariesAreProblemsWithTheirPaths() {
    assertThat(problems("canary: { start: 1% }")).containsExactly("models[0].canary.model: is required");
    assertThat(problems("canary: { model: nowhere }")).containsExactly(
        "models[0].canary.model: must name a configured model entry or provider/model of a configured provider");
    assertThat(problems("canary: { model: q/x }")).hasSize(1);
    assertThat(problems("canary: { model: chat }")).containsExactly(
        "models[0].canary.model: must name another model than the entry itself");
    assertThat(problems("canary: { model: chat-next, start: 0% }")).containsExactly(
        "models[0].canary.start: must be above 0% (a canary at 0% gets no traffic)");
    assertThat(problems("canary: { model: chat-next, start: 50%, max: 20% }")).containsExactly(
        "models[0].canary.start: must not be above max");
    assertThat(problems("canary: { model: chat-next, step: 150% }")).containsExactly(
        "models[0].canary.step: must be between 0% and 100%");
    assertThat(problems("canary: { model: chat-next, every: soon }")).singleElement().asString()
        .startsWith("models[0].canary.every: is not a duration");
    assertThat(problems("canary: { model: chat-next, rollback_if: { error_rate: 2%, p99: 1s } }")).singleElement()
        .asString().startsWith("models[0].canary.rollback_if.p99: unknown key");
    assertThat(problems("canary: { model: chat-next, rollback_if: { min_requests: 0 } }")).containsExactly(
        "models[0].canary.rollback_if.min_requests: must be at least 1");
    assertThat(problems("canary: { model: chat-next, ramp: fast }")).singleElement().asString()
        .startsWith("models[0].canary.ramp: unknown key");
    assertThatThrownBy(() -> models("canary: chat-next")).isInstanceOf(ConfigException.class);
  }
}
