package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundConfigTest {
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
  void withoutTheBlockNoHostIsTrusted() {
    assertThat(parse(PROVIDERS).outbound().trustedHosts()).isEmpty();
  }

  @Test
  void trustedHostsTakeNamesAddressesAndPorts() {
    SluiceConfig cfg = parse(PROVIDERS + """
        outbound:
          trusted_hosts: [hooks.internal, "127.0.0.1:8080", "::1", "[fd00::5]:9000", alerts.corp.example]
        """);
    assertThat(cfg.outbound().trustedHosts())
        .containsExactly("hooks.internal", "127.0.0.1:8080", "::1", "[fd00::5]:9000", "alerts.corp.example");
  }

  @Test
  void aTrustedHostThatIsAUrlOrHasABadPortIsReported() {
    assertThatThrownBy(() -> parse(PROVIDERS + """
        outbound:
          trusted_hosts: ["http://hooks.internal", "hooks.internal/path", "admin@hooks.internal", "h:70000", "h:"]
        """)).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(5)
            .allSatisfy(p -> assertThat(p.path()).isEqualTo("outbound.trusted_hosts")));
  }
}
