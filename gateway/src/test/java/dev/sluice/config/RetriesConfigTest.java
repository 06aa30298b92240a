package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RetriesConfigTest {
  private static final String PROVIDERS = """
      providers:
        - { name: p, type: mock }
      """;

  private static ReliabilityConfig.Retries retries(String modelKeys) {
    String yaml = PROVIDERS + "models:\n  - { name: m, targets: [ { provider: p, model: x } ]"
        + (modelKeys.isEmpty() ? "" : ", " + modelKeys) + " }\n";
    return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml").models().get(0)
        .reliability().retries();
  }

  @Test
  void byDefaultATargetIsRetriedOnceWithinThreeAttempts() {
    ReliabilityConfig.Retries r = retries("");
    assertThat(r.maxAttempts()).isEqualTo(3);
    assertThat(r.sameTarget()).isEqualTo(1);
    assertThat(r.budget()).isEqualTo(0.2);
  }

  @Test
  void sameTargetParses() {
    assertThat(retries("retries: { max_attempts: 5, same_target: 0 }").sameTarget()).isZero();
    assertThat(retries("retries: { same_target: 3 }").sameTarget()).isEqualTo(3);
  }

  @Test
  void aNegativeOrHugeSameTargetIsAProblemWithItsPath() {
    for (String bad : new String[] {"-1", "10", "once"}) {
      assertThatThrownBy(() -> retries("retries: { same_target: " + bad + " }"))
          .isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::path)
              .containsExactly("models[0].retries.same_target"));
    }
  }
}
