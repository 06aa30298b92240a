package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservabilityConfigTest {
  private static final String PROVIDERS = """
      providers:
        - { name: up, type: openai-compatible, base_url: "http://127.0.0.1:9/v1", propagate_trace: true }
        - { name: plain, type: mock }
      models:
        - { name: m, targets: [ { provider: up, model: x } ] }
      """;

  private static SluiceConfig parse(String yaml) {
    return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml");
  }

  @Test
  void withoutTheBlockTracingIsOffAndRetentionHasItsDefaults() {
    SluiceConfig cfg = parse(PROVIDERS);
    assertThat(cfg.observability().tracingConfigured()).isFalse();
    assertThat(cfg.observability().sampleRatio()).isEqualTo(1.0);
    assertThat(cfg.observability().retention().requests()).isEqualTo(Duration.ofDays(30));
    assertThat(cfg.observability().retention().bodies()).isEqualTo(Duration.ofDays(7));
    assertThat(cfg.observability().retention().ledger()).isEqualTo(Duration.ofDays(400));
    assertThat(cfg.observability().retention().stats()).isEqualTo(Duration.ofDays(90));
    assertThat(cfg.provider("plain").orElseThrow().propagateTrace()).isFalse();
    assertThat(cfg.provider("up").orElseThrow().propagateTrace()).isTrue();
  }

  @Test
  void theBlockParsesWithDaysAndHeadersKeptOutOfToString() {
    SluiceConfig cfg = parse(PROVIDERS + """
        observability:
          otlp: { endpoint: "http://127.0.0.1:4318", protocol: grpc, headers: { x-api-key: sekrit } }
          sample_ratio: 25%
          service_name: gw
          retention: { requests: 10d, bodies: 36h, ledger: 400d, stats: 14d }
        teams:
          - { name: t, log_bodies: { redact: ["sk-[a-z0-9]+"], max_bytes: 100 } }
        keys:
          - { key: sk-client-0001, name: k, team: t, log_bodies: { enabled: false } }
        """);
    ObservabilityConfig o = cfg.observability();
    assertThat(o.tracingConfigured()).isTrue();
    assertThat(o.otlpProtocol()).isEqualTo("grpc");
    assertThat(o.otlpHeaders()).containsEntry("x-api-key", "sekrit");
    assertThat(o.sampleRatio()).isEqualTo(0.25);
    assertThat(o.serviceName()).isEqualTo("gw");
    assertThat(o.retention().requests()).isEqualTo(Duration.ofDays(10));
    assertThat(o.retention().bodies()).isEqualTo(Duration.ofHours(36));
    assertThat(o.retention().stats()).isEqualTo(Duration.ofDays(14));
    assertThat(o.toString()).doesNotContain("sekrit");
    LogBodiesConfig team = cfg.teams().get(0).logBodies();
    assertThat(team.enabled()).isTrue();
    assertThat(team.maxBytes()).isEqualTo(100);
    assertThat(team.redact()).hasSize(1);
    assertThat(cfg.keys().get(0).logBodies().enabled()).isFalse();
  }

  @Test
  void badValuesAreReportedWithTheirPaths() {
    assertThatThrownBy(() -> parse(PROVIDERS + """
        observability:
          otlp: { endpoint: "localhost:4318", protocol: thrift }
          sample_ratio: 2
          retention: { requests: forever }
          colour: blue
        keys:
          - { key: sk-client-0001, name: k, log_bodies: { redact: ["(unclosed"] } }
        """)).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::path)
            .contains("observability.otlp.endpoint", "observability.otlp.protocol", "observability.sample_ratio",
                "observability.retention.requests", "observability.colour", "keys[0].log_bodies.redact"));
  }
}
