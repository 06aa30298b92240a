package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Canaries;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A config's secrets never reach the text of a config error (what {@code sluice config check} and a
 * failed start print, often into CI logs) nor the text of the parsed config's records: malformed
 * YAML on a line holding a key, a secret of the wrong type, a URL with credentials that is invalid
 * for another reason, a key pasted into the wrong field, a secret from the environment.
 */
class ConfigSecretsTest {
  private final Canaries canaries = new Canaries();
  private final String openAiKey = canaries.plant("api_key", "sk-CANARY-provider-openai-4fJ9qL2xT0");
  private final String azureKey = canaries.plant("azure api_key", "c4a7a9e1CANARYa2e0b2d3f5e6a8c9d1");
  private final String master = canaries.plant("master key", "sk-CANARY-master-Zm9v+YmFy/cXV4");
  private final String client = canaries.plant("client key", "CANARY+client/key=Rm9vYmFyQmF6");
  private final String header = canaries.plant("provider header", "CANARY-header-token-6Tz1mW5q");
  private final String otlp = canaries.plant("otlp header", "CANARY-otlp-token-5Gh2Kp");
  private final String password = canaries.plant("a URL's password", "CANARYpassw0rd-77");
  private final String fromEnv = canaries.plant("a secret from the environment", "CANARY-from-env-3Jk8");

  private final Map<String, String> env = Map.of("PW", fromEnv, "KEY", fromEnv);

  /** Parses a config that must be rejected; its error's whole text and every problem become surfaces. */
  private ConfigException rejected(String name, String yaml) {
    try {
      new ConfigLoader(env::get).parse(yaml, "canary.yaml");
    } catch (ConfigException e) {
      canaries.surface(name, e.getMessage());
      e.problems().forEach(p -> canaries.surface(name + " / " + p.path(), p.toString()));
      return e;
    }
    throw new AssertionError(name + ": expected the config to be rejected");
  }

  private String provider(String line) {
    return """
        providers:
          - name: openai
            type: openai
            %s
        """.formatted(line);
  }

  @Test
  void malformedYamlOnALineWithASecretIsReportedWithoutIt() {
    // Still says where, and what the parser found, in its own words.
    assertThat(rejected("colon after the key", provider("api_key: " + openAiKey + ": extra")).getMessage())
        .contains("not valid YAML at line 4, column 50: mapping values are not allowed here");
    assertThat(rejected("unclosed quote", provider("api_key: \"" + openAiKey)).getMessage())
        .contains("while scanning a quoted scalar: found unexpected end of stream");
    rejected("unclosed single quote", provider("api_key: '" + azureKey + "\n    name: x"));
    rejected("unclosed flow sequence", provider("api_key: [" + openAiKey));
    rejected("unclosed flow mapping", provider("api_key: { " + azureKey));
    rejected("reserved indicator", provider("api_key: @" + azureKey));
    rejected("backquote", provider("api_key: `" + azureKey));
    rejected("tab indentation", provider("\tapi_key: " + openAiKey));
    rejected("bad indentation", "server:\n  master_key: " + master + "\n   port: 4000\n");
    rejected("anchor then garbage", provider("api_key: &" + azureKey + " [x"));
    rejected("not a mapping", "- " + azureKey + "\n- " + openAiKey + "\n");
    rejected("a scalar", azureKey + "\n");
    canaries.assertNoneFound();
  }

  @Test
  void valuesOfTheWrongTypeAndInvalidValuesNextToSecretsAreReportedWithoutThem() {
    rejected("api_key as a list", provider("api_key: [" + openAiKey + ", " + azureKey + "]"));
    rejected("api_key as a mapping", provider("api_key: { value: " + azureKey + " }"));
    rejected("master_key as a list", "server: { master_key: [" + master + "] }\n");
    rejected("client key as a mapping", "keys:\n  - { key: { k: " + client + " }, name: a }\n");
    rejected("header as a list", provider("api_key: " + openAiKey + "\n    headers: { Authorization: [\"Bearer "
        + header + "\"] }"));
    rejected("otlp header as a list", "observability: { otlp: { endpoint: http://c:4318, headers: { x: [" + otlp
        + "] } } }\n");
    rejected("a typo in api_key's name", provider("api_kye: " + openAiKey));
    rejected("a misspelt provider type next to the key", "providers:\n  - { name: p, type: opneai, api_key: "
        + openAiKey + " }\n");
    // Still names the path and what is expected.
    assertThat(rejected("store URL of another engine", "store: { url: \"mysql://root:" + password
        + "@db:3306/sluice\" }\n").problems())
        .containsExactly(new ConfigProblem("store.url", "must be sqlite:PATH or postgresql://user:pass@host:port/db"));
    rejected("redis URL with the wrong scheme", "redis: { url: \"http://default:" + password + "@redis:6379\" }\n");
    rejected("base_url with credentials and the wrong scheme",
        provider("api_key: " + openAiKey + "\n    base_url: \"ftp://user:" + password + "@proxy/v1\""));
    rejected("OTLP endpoint with credentials and the wrong scheme",
        "observability: { otlp: { endpoint: \"otel://user:" + password + "@collector:4318\" } }\n");
    rejected("a key pasted into base_url", provider("api_key: " + openAiKey + "\n    base_url: " + openAiKey));
    rejected("a key pasted into a timeout", provider("api_key: " + openAiKey + "\n    timeouts: { connect: "
        + azureKey + " }"));
    rejected("a key pasted into a flag", provider("api_key: " + openAiKey + "\n    optional: " + azureKey));
    rejected("a key pasted into max_connections", provider("api_key: " + openAiKey + "\n    max_connections: "
        + azureKey));
    rejected("a key pasted into priority", "keys:\n  - { key: \"" + client + "\", name: a, priority: \"" + client
        + "\" }\n");
    rejected("a key pasted into a price", "providers: [ { name: p, type: openai, api_key: x12345678 } ]\n"
        + "models:\n  - { name: m, targets: [ { provider: p, model: x, price: { input_per_mtok: " + azureKey
        + " } } ] }\n");
    rejected("a key pasted into routing", "providers: [ { name: p, type: openai, api_key: x12345678 } ]\n"
        + "models:\n  - { name: m, routing: " + azureKey + ", targets: [ { provider: p, model: x } ] }\n");
    rejected("a key pasted into unsupported_params", "unsupported_params: " + azureKey + "\n");
    rejected("an environment secret in an invalid URL", "store: { url: \"mysql://root:${env:PW}@db/sluice\" }\n");
    rejected("an environment secret in base_url", provider("api_key: ${env:KEY}\n    base_url: ${env:KEY}"));
    canaries.assertNoneFound();
  }

  @Test
  void aParsedConfigPrintsNoSecret() {
    SluiceConfig cfg = new ConfigLoader(env::get).parse("""
        server: { master_key: "%s", metrics_key: "%s" }
        providers:
          - { name: openai, type: openai, api_key: "%s", headers: { x-token: "%s" },
              base_url: "https://user:%s@proxy.example.com/v1" }
          - { name: azure, type: azure-openai, api_key: "%s", base_url: "https://r.openai.azure.com",
              api_version: 2024-10-21 }
        models:
          - { name: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
        keys:
          - { key: "%s", name: app }
          - { key: "${env:KEY}", name: env-app }
        redis: { url: "redis://default:%s@redis:6379" }
        store: { url: "postgresql://sluice:%s@db:5432/sluice" }
        observability: { otlp: { endpoint: "http://c:4318", headers: { x-otlp-token: "%s" } } }
        """.formatted(master, master, openAiKey, header, password, azureKey, client, password, password, otlp),
        "canary.yaml");
    canaries.surface("SluiceConfig.toString()", cfg.toString());
    canaries.surface("ServerConfig.toString()", cfg.server().toString());
    cfg.providers().forEach(p -> canaries.surface("ProviderConfig.toString()", p.toString()));
    cfg.keys().forEach(k -> canaries.surface("KeyConfig.toString()", k.toString()));
    canaries.surface("FlowConfig.toString()", cfg.flow().toString());
    canaries.surface("ObservabilityConfig.toString()", cfg.observability().toString());
    assertThat(cfg.keys()).extracting(KeyConfig::key).contains(client, fromEnv);
    canaries.assertNoneFound();
  }
}
