package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static SluiceConfig parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(env::get).parse(yaml, "test.yaml");
  }

  private static List<ConfigProblem> problems(String yaml) {
    try {
      parse(yaml, Map.of());
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void theIssuesExampleParsesWithEnvReferencesInsideFlowMappings() {
    SluiceConfig cfg = parse("""
        server: { port: 4000, master_key: ${env:SLUICE_MASTER_KEY}, max_body_bytes: 10485760 }
        providers:
          - name: openai
            type: openai            # openai | openai-compatible | azure-openai | anthropic | gemini | mock
            base_url: https://api.openai.com/v1
            api_key: ${env:OPENAI_API_KEY}
          - name: local-vllm
            type: openai-compatible
            base_url: http://127.0.0.1:8000/v1
        models:
          - name: chat-default      # what clients send as "model"
            targets:
              - { provider: openai, model: gpt-4o-mini, weight: 3 }
              - { provider: local-vllm, model: qwen2.5-7b-instruct, weight: 1 }
        keys:
          - { key: ${env:SLUICE_DEMO_KEY}, name: demo }
        """, Map.of("SLUICE_MASTER_KEY", "sk-master-1234", "OPENAI_API_KEY", "sk-openai-xyz",
        "SLUICE_DEMO_KEY", "sk-demo-abcdef"));

    assertThat(cfg.server().port()).isEqualTo(4000);
    assertThat(cfg.server().masterKey()).isEqualTo("sk-master-1234");
    assertThat(cfg.provider("openai").orElseThrow().apiKey()).isEqualTo("sk-openai-xyz");
    assertThat(cfg.provider("local-vllm").orElseThrow().apiKey()).isNull();
    assertThat(cfg.models().get(0).targets()).extracting(ModelConfig.TargetConfig::weight).containsExactly(3, 1);
    assertThat(cfg.keys()).extracting(KeyConfig::key).containsExactly("sk-demo-abcdef");
  }

  @Test
  void envValuesWithYamlSpecialCharactersStayOneValue() {
    SluiceConfig cfg = parse("""
        providers:
          - { name: p, type: openai, api_key: "prefix-${env:K}", base_url: "${env:URL:-http://127.0.0.1:9/v1}" }
        """, Map.of("K", "a: b, # c}"));
    assertThat(cfg.provider("p").orElseThrow().apiKey()).isEqualTo("prefix-a: b, # c}");
    assertThat(cfg.provider("p").orElseThrow().baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
  }

  @Test
  void everyProblemIsReportedWithItsPath() {
    List<ConfigProblem> problems = problems("""
        server: { port: 99999, colour: blue }
        providers:
          - { name: a, type: openia }
          - { name: b, type: openai-compatible, base_url: "ftp://x", timeouts: { total: soon } }
        models:
          - name: m
            targets: [ { provider: nope, model: x }, { provider: b, model: y, wieght: 2 } ]
        keys:
          - { key: ${env:MISSING_KEY}, name: k }
        extra: 1
        """);
    assertThat(problems).extracting(ConfigProblem::path).contains("server.port", "server.colour",
        "providers[0].type", "providers[1].base_url", "providers[1].timeouts.total", "models[0].targets[0].provider",
        "models[0].targets[1].wieght", "keys[0].key", "extra");
    assertThat(problems).filteredOn(p -> p.path().equals("keys[0].key")).first()
        .extracting(ConfigProblem::message).asString().contains("MISSING_KEY");
    assertThat(problems).filteredOn(p -> p.path().equals("providers[0].type")).first()
        .extracting(ConfigProblem::message).asString().contains("openai-compatible");
  }

  @Test
  void requiredKeysAndDuplicatesAreErrors() {
    List<ConfigProblem> problems = problems("""
        providers:
          - { name: a, type: openai }
          - { name: a, type: mock }
        models:
          - { name: m, targets: [] }
        """);
    assertThat(problems).extracting(ConfigProblem::toString)
        .anySatisfy(s -> assertThat(s).startsWith("providers[0].api_key: is required"))
        .anySatisfy(s -> assertThat(s).startsWith("providers[1].name: duplicate"))
        .anySatisfy(s -> assertThat(s).startsWith("models[0].targets: must list at least one target"));
  }

  @Test
  void optionalProviderWithoutKeyIsLeftOutWithItsTargetsAndModels() {
    SluiceConfig cfg = parse("""
        providers:
          - { name: mock, type: mock }
          - { name: openai, type: openai, api_key: "${env:OPENAI_API_KEY}", optional: true }
        models:
          - { name: a, targets: [ { provider: mock, model: m }, { provider: openai, model: g } ] }
          - { name: b, targets: [ { provider: openai, model: g } ] }
        """, Map.of());
    assertThat(cfg.providers()).extracting(ProviderConfig::name).containsExactly("mock");
    assertThat(cfg.models()).extracting(ModelConfig::name).containsExactly("a");
    assertThat(cfg.models().get(0).targets()).hasSize(1);
    assertThat(cfg.skipped()).anySatisfy(s -> assertThat(s).contains("openai"));
  }

  @Test
  void durationsAcceptMillisecondsSecondsMinutes() {
    SluiceConfig cfg = parse("""
        providers:
          - { name: p, type: mock, timeouts: { connect: 250ms, first_token: 30s, idle: 1m, total: 1h } }
        """, Map.of());
    var t = cfg.provider("p").orElseThrow().timeouts();
    assertThat(t.connect()).isEqualTo(Duration.ofMillis(250));
    assertThat(t.firstToken()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.idle()).isEqualTo(Duration.ofMinutes(1));
    assertThat(t.total()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void malformedYamlIsOneClearProblem() {
    assertThatThrownBy(() -> parse("providers: [ { name: a", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
  }

  @Test
  void secretsNeverAppearInToString() {
    SluiceConfig cfg = parse("""
        server: { master_key: sk-master-secret }
        providers: [ { name: p, type: openai, api_key: sk-provider-secret } ]
        keys: [ { key: sk-client-secret, name: c } ]
        """, Map.of());
    assertThat(cfg.toString()).doesNotContain("sk-master-secret", "sk-provider-secret", "sk-client-secret");
  }

  @Test
  void bundledDemoConfigIsValidWithAndWithoutProviderKeys() {
    SluiceConfig bare = new ConfigLoader(Map.<String, String>of()::get).loadDemo();
    assertThat(bare.providers()).extracting(ProviderConfig::type).containsExactly(ProviderType.MOCK);
    assertThat(bare.keys()).extracting(KeyConfig::key).containsExactly("sk-sluice-demo");
    SluiceConfig withOpenAi = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-x", "SLUICE_DEMO_KEY", "sk-mine-123")::get).loadDemo();
    assertThat(withOpenAi.providers()).extracting(ProviderConfig::name).containsExactly("mock", "openai");
    assertThat(withOpenAi.keys()).extracting(KeyConfig::key).containsExactly("sk-mine-123");
  }

  @Test
  void tenantsLimitsBudgetsPricesAdmissionRedisAndStoreParse() {
    SluiceConfig cfg = parse("""
        providers: [ { name: openai, type: openai, api_key: sk-x } ]
        teams:
          - { name: search, budget: { usd: 500, period: monthly, mode: soft, alert_webhook: "http://127.0.0.1:9/hook" } }
        keys:
          - { key: sk-app-a-123456, name: app-a, team: search, priority: high,
              limits: { rpm: 600, tpm: 200000, max_concurrency: 20 }, budget: { usd: 50.25, period: daily, mode: hard } }
        models:
          - name: chat-default
            limits: { rpm: 5000, tpm: 2000000 }
            targets:
              - { provider: openai, model: gpt-4o-mini, limits: { rpm: 3000, tpm: 1000000, max_concurrency: 100 },
                  price: { input_per_mtok: 0.15, output_per_mtok: 0.60 } }
        admission: { max_queue: 10000, max_wait: 10s, max_in_flight: 20000 }
        redis: { url: redis://127.0.0.1:6379, on_failure: local }
        store: { url: "postgresql://u:secretpw@127.0.0.1:5432/sluice" }
        """, Map.of());
    KeyConfig key = cfg.keys().get(0);
    assertThat(key.team()).isEqualTo("search");
    assertThat(key.priority()).isEqualTo("high");
    assertThat(key.limits()).isEqualTo(new LimitsConfig(600, 200_000, 20));
    assertThat(key.budget().usd()).isEqualByComparingTo("50.25");
    assertThat(key.budget().hard()).isTrue();
    assertThat(cfg.teams().get(0).budget().alertThresholds()).containsExactly(0.5, 0.8, 1.0);
    assertThat(cfg.models().get(0).limits().rpm()).isEqualTo(5000);
    ModelConfig.TargetConfig target = cfg.models().get(0).targets().get(0);
    assertThat(target.limits().maxConcurrency()).isEqualTo(100);
    assertThat(target.price().inputPerMtok()).isEqualByComparingTo("0.15");
    assertThat(cfg.flow().redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(cfg.flow().maxWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.storeUrl()).startsWith("postgresql://");
    assertThat(cfg.toString()).doesNotContain("secretpw");
  }

  @Test
  void badTenantSettingsAreReportedWithPaths() {
    List<ConfigProblem> problems = problems("""
        keys: [ { key: sk-app-a-123456, priority: urgent, budget: { usd: -1, period: weekly } } ]
        redis: { url: http://nope, on_failure: panic }
        store: { url: mysql://x }
        """);
    assertThat(problems).extracting(ConfigProblem::path).contains("keys[0].priority", "keys[0].budget.usd",
        "keys[0].budget.period", "redis.url", "redis.on_failure", "store.url");
  }

  @Test
  void aRejectedUrlIsNotShownSoItsPasswordIsNot() {
    ConfigException e = catchConfigException("""
        store: { url: "postgres:/sluice:s3cr3t-pw@db/sluice" }
        redis: { url: "http://:s3cr3t-pw@cache:6379" }
        observability: { otlp: { endpoint: "grpc://u:s3cr3t-pw@otel:4317" } }
        providers: [ { name: p, type: openai-compatible, base_url: "localhost:s3cr3t-pw@11434" } ]
        """);
    // Each problem names its key and what is expected, never the value (see ConfigSecretsTest).
    assertThat(e.getMessage()).doesNotContain("s3cr3t").contains("store.url", "redis.url", "observability.otlp.endpoint",
        "providers[0].base_url");
  }

  @Test
  void listItemsNamingAnUnsetVariableAreLeftOut() {
    SluiceConfig cfg = parse("""
        providers: [ { name: m, type: mock } ]
        models: [ { name: chat, targets: [ { provider: m, model: m1 } ] } ]
        keys:
          - key: sk-app-a-123456
            models: [chat, "${env:EXTRA_MODEL}"]
            log_bodies: { redact: ["${env:REDACT}"] }
            budget: { usd: 5, alert_thresholds: ["${env:THRESHOLD}", 80%] }
        outbound: { trusted_hosts: ["${env:HOOK_HOST}"] }
        """, Map.of());
    assertThat(cfg.keys().get(0).models()).containsExactly("chat");
    assertThat(cfg.keys().get(0).logBodies().redact()).isEmpty();
    assertThat(cfg.keys().get(0).budget().alertThresholds()).containsExactly(0.8);
    assertThat(cfg.outbound().trustedHosts()).isEmpty();
  }

  @Test
  void wordsThatLookLikeEnvPlaceholdersStayAsWritten() {
    SluiceConfig cfg = parse("""
        server: { host: SLUICEENV7X, master_key: "${env:KEY}-SLUICEENV0X" }
        providers: [ { name: "SLUICE\\x45NV99999999999X", type: mock } ]
        """, Map.of("KEY", "k"));
    assertThat(cfg.server().host()).isEqualTo("SLUICEENV7X");
    assertThat(cfg.server().masterKey()).isEqualTo("k-SLUICEENV0X");
    assertThat(cfg.providers().get(0).name()).isEqualTo("SLUICEENV99999999999X");
  }

  @Test
  void amountsThatAreNoMicroDollarAmountAreRejected() {
    assertThat(problems("""
        providers: [ { name: m, type: mock } ]
        models: [ { name: chat, targets: [ { provider: m, model: m1, price: { input_per_mtok: 1e999999999 } } ] } ]
        keys: [ { key: sk-app-a-123456, budget: { usd: "0.0000001" } } ]
        teams: [ { name: t, budget: { usd: 10000000000000 } } ]
        """)).extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("models[0].targets[0].price.input_per_mtok", "keys[0].budget.usd", "teams[0].budget.usd");
  }

  @Test
  void aBreakerCooldownLongerThanTheDefaultCapRaisesTheCapUnlessOneIsGiven() {
    SluiceConfig cfg = parse("""
        providers: [ { name: m, type: mock } ]
        models: [ { name: chat, targets: [ { provider: m, model: m1 } ], breaker: { cooldown: 10m } } ]
        """, Map.of());
    ReliabilityConfig.Breaker b = cfg.models().get(0).reliability().breaker();
    assertThat(b.cooldown()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(b.maxCooldown()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(problems("""
        providers: [ { name: m, type: mock } ]
        models: [ { name: chat, targets: [ { provider: m, model: m1 } ], breaker: { cooldown: 10m, max_cooldown: 1m } } ]
        """)).extracting(ConfigProblem::path).containsExactly("models[0].breaker.max_cooldown");
  }

  private static ConfigException catchConfigException(String yaml) {
    try {
      parse(yaml, Map.of());
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void theStoreDefaultsToAnSqliteFileNextToTheConfig(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("sluice.yaml");
    java.nio.file.Files.writeString(file, "providers: [ { name: m, type: mock } ]\n");
    assertThat(new ConfigLoader(Map.<String, String>of()::get).load(file).storeUrl())
        .isEqualTo("sqlite:" + dir.resolve("sluice.db"));
  }
}
