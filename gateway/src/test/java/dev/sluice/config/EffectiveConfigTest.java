package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.Canaries;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The config as {@code GET /admin/config} shows it: every field the gateway runs with, and not one
 * secret — a canary planted in every field that holds one must be absent from the whole answer.
 */
class EffectiveConfigTest {
  private final Canaries canaries = new Canaries();
  private final String master = canaries.plant("master key", "sk-CANARY-master-Zm9v+YmFy/cXV4");
  private final String metrics = canaries.plant("metrics key", "CANARY-metrics-scrape-9Qw3");
  private final String openAiKey = canaries.plant("provider api_key", "sk-CANARY-provider-openai-4fJ9qL2xT0");
  private final String azureKey = canaries.plant("azure api_key", "c4a7a9e1CANARYa2e0b2d3f5e6a8c9d1");
  private final String header = canaries.plant("provider header", "CANARY-header-token-6Tz1mW5q");
  private final String basePassword = canaries.plant("base_url password", "CANARYbasepw-51");
  private final String baseQuery = canaries.plant("base_url query key", "CANARYquerykey-83");
  private final String client = canaries.plant("client key", "CANARY+client/key=Rm9vYmFyQmF6");
  private final String keyHook = canaries.plant("key webhook path", "CANARY-key-hook-T0k3nPath");
  private final String teamHook = canaries.plant("team webhook path", "CANARY-team-hook-S3cr3tPath");
  private final String redisPassword = canaries.plant("redis password", "CANARYredispw-22");
  private final String storePassword = canaries.plant("store password", "CANARYstorepw-44");
  private final String otlpPassword = canaries.plant("otlp endpoint password", "CANARYotlppw-66");
  private final String otlpHeader = canaries.plant("otlp header", "CANARY-otlp-token-5Gh2Kp");
  private final String fromEnv = canaries.plant("a secret from the environment", "CANARY-from-env-3Jk8");

  private SluiceConfig config() {
    return new ConfigLoader(Map.of("KEY", fromEnv)::get).parse("""
        server: { master_key: "%s", metrics_key: "%s" }
        providers:
          - { name: openai, type: openai, api_key: "%s", headers: { x-token: "%s" },
              base_url: "https://user:%s@proxy.example.com/v1?key=%s" }
          - { name: azure, type: azure-openai, api_key: "%s", base_url: "https://r.openai.azure.com",
              api_version: 2024-10-21 }
          - { name: env, type: openai, api_key: "${env:KEY}" }
        models:
          - name: chat
            targets: [ { provider: openai, model: gpt-4o-mini }, { provider: azure, model: gpt-4o } ]
            retries: { max_attempts: 2 }
        keys:
          - { key: "%s", name: app, team: red,
              budget: { usd: "5", mode: soft, alert_webhook: "https://hooks.example.com/services/%s" } }
        teams:
          - { name: red, budget: { usd: "50", alert_webhook: "https://hooks.example.com/t/%s" } }
        redis: { url: "redis://default:%s@redis:6379" }
        store: { url: "postgresql://sluice:%s@db:5432/sluice" }
        observability: { otlp: { endpoint: "https://otel:%s@collector:4318", headers: { x-otlp-token: "%s" } } }
        """.formatted(master, metrics, openAiKey, header, basePassword, baseQuery, azureKey, client, keyHook, teamHook,
        redisPassword, storePassword, otlpPassword, otlpHeader), "canary.yaml");
  }

  @Test
  void everySecretFieldIsRedactedAndNothingElseIs() {
    ObjectNode report = EffectiveConfig.report("canary.yaml", config());
    canaries.surface("the /admin/config report", report.toString());
    canaries.assertNoneFound();

    JsonNode c = report.path("config");
    assertThat(c.path("server").path("master_key").asText()).isEqualTo("[redacted]");
    assertThat(c.path("server").path("metrics_key").asText()).isEqualTo("[redacted]");
    JsonNode openai = c.path("providers").get(0);
    assertThat(openai.path("name").asText()).isEqualTo("openai");
    assertThat(openai.path("type").asText()).isEqualTo("openai");
    assertThat(openai.path("api_key").asText()).isEqualTo("[redacted]");
    assertThat(openai.path("headers").path("x-token").asText()).isEqualTo("[redacted]");
    assertThat(openai.path("base_url").asText()).isEqualTo("https://user:***@proxy.example.com/v1?key=***");
    assertThat(c.path("keys").get(0).path("key").asText()).isEqualTo("[redacted]");
    assertThat(c.path("keys").get(0).path("name").asText()).isEqualTo("app");
    assertThat(c.path("keys").get(0).path("budget").path("alert_webhook").asText())
        .isEqualTo("https://hooks.example.com/[redacted]");
    assertThat(c.path("flow").path("redis_url").asText()).isEqualTo("redis://default:***@redis:6379");
    assertThat(c.path("store_url").asText()).isEqualTo("postgresql://sluice:***@db:5432/sluice");
    // What is not secret is shown as the gateway runs with it, defaults included.
    JsonNode chat = c.path("models").get(0);
    assertThat(chat.path("name").asText()).isEqualTo("chat");
    assertThat(chat.path("targets")).hasSize(2);
    assertThat(chat.path("targets").get(1).path("model").asText()).isEqualTo("gpt-4o");
    assertThat(chat.path("reliability").path("retries").path("max_attempts").asInt()).isEqualTo(2);
    assertThat(c.path("server").path("shutdown_grace").isTextual()).isTrue();
    assertThat(c.path("keys").get(0).path("budget").path("usd").decimalValue()).isEqualByComparingTo("5");
  }

  @Test
  void theCheckIsTheCliCheckOfTheLoadedConfig() {
    ObjectNode report = EffectiveConfig.report("canary.yaml", config());
    JsonNode check = report.path("check");
    assertThat(check.path("valid").asBoolean()).isTrue();
    assertThat(check.path("summary").asText()).isEqualTo("3 providers, 1 models, 1 keys");
    assertThat(check.path("problems")).isEmpty();
  }

  @Test
  void aProviderLeftOutIsAWarningOfTheCheck() {
    SluiceConfig cfg = new ConfigLoader(Map.<String, String>of()::get).parse("""
        providers:
          - { name: mock, type: mock }
          - { name: later, type: openai, api_key: "${env:UNSET_KEY}", optional: true }
        models:
          - { name: chat, targets: [ { provider: mock, model: m } ] }
        """, "optional.yaml");
    JsonNode check = EffectiveConfig.report("optional.yaml", cfg).path("check");
    assertThat(cfg.skipped()).isNotEmpty();
    assertThat(check.path("warnings")).hasSize(cfg.skipped().size());
    assertThat(check.path("warnings").get(0).asText()).isEqualTo(cfg.skipped().get(0));
  }
}
