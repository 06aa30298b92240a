package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {
  private static final String PROVIDERS = """
      providers:
        - { name: up, type: mock }
      models:
        - { name: m, targets: [ { provider: up, model: x } ] }
      """;

  private static SluiceConfig parse(String yaml) {
    return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml");
  }

  @Test
  void aSignInLastsTwelveHoursUnlessConfigured() {
    assertThat(parse(PROVIDERS).console().sessionTtl()).isEqualTo(Duration.ofHours(12));
    assertThat(parse(PROVIDERS + "console: { session_ttl: 30m }\n").console().sessionTtl())
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aSessionTtlOutsideOneMinuteToThirtyDaysOrAnUnknownKeyIsReported() {
    for (String bad : new String[] {"session_ttl: 10s", "session_ttl: 31d", "session_ttl: soon", "session_tll: 1h"}) {
      assertThatThrownBy(() -> parse(PROVIDERS + "console: { " + bad + " }\n")).as(bad)
          .isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(1)
              .allSatisfy(p -> assertThat(p.path()).startsWith("console.")));
    }
  }
}
