package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a reload reports as changed, and which settings keep their running value until a restart. */
class ConfigChangesTest {
  private static SluiceConfig parse(String yaml) {
    return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test");
  }

  private static final String BASE = """
      server: { host: 127.0.0.1, port: 4000, master_key: sk-master-0001 }
      providers:
        - { name: a, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
      models:
        - name: chat
          targets: [ { provider: a, model: m, price: { input_per_mtok: 1, output_per_mtok: 2 } } ]
      teams: [ { name: t, limits: { rpm: 10 } } ]
      keys: [ { key: sk-client-key-000001, name: one, team: t } ]
      """;

  @Test
  void sameFileChangesNothing() {
    assertThat(ConfigChanges.between(parse(BASE), parse(BASE)).none()).isTrue();
  }

  @Test
  void namesModelsKeysTeamsLimitsAndPricesThatChangedButNeverAKey() {
    String next = BASE.replace("input_per_mtok: 1", "input_per_mtok: 3").replace("rpm: 10", "rpm: 20")
        .replace("keys: [ { key: sk-client-key-000001, name: one, team: t } ]",
            "keys: [ { key: sk-client-key-000002, name: two } ]")
        .replace("teams:", "  - { name: extra, targets: [ { provider: a, model: x } ] }\nteams:");
    ConfigChanges c = ConfigChanges.between(parse(BASE), parse(next));

    assertThat(c.models().added()).containsExactly("extra");
    assertThat(c.models().changed()).containsExactly("chat");
    assertThat(c.keys().added()).containsExactly("two");
    assertThat(c.keys().removed()).containsExactly("one");
    assertThat(c.teams().changed()).containsExactly("t");
    assertThat(c.limits()).containsExactly("team:t");
    assertThat(c.prices()).containsExactly("a/m");
    assertThat(c.needsRestart()).isEmpty();
    assertThat(c.toJson().toString()).doesNotContain("sk-client-key");
  }

  @Test
  void restartOnlySettingsAreReportedAndKeepTheirRunningValue() {
    SluiceConfig running = parse(BASE);
    SluiceConfig next = parse(BASE.replace("port: 4000", "port: 4001").replace("master_key: sk-master-0001",
        "master_key: sk-master-0002") + "store: { url: \"sqlite:/tmp/elsewhere.db\" }\nadmission: { max_queue: 5 }\n");
    ConfigChanges c = ConfigChanges.between(running, next);

    assertThat(c.needsRestart()).containsExactly("server.port", "server.master_key", "store", "admission");
    SluiceConfig live = ConfigChanges.live(running, next);
    assertThat(live.server()).isEqualTo(running.server());
    assertThat(live.storeUrl()).isEqualTo(running.storeUrl());
    assertThat(live.flow()).isEqualTo(running.flow());
    assertThat(live.models()).isEqualTo(next.models());
    assertThat(c.summary()).contains("needs restart [server.port, server.master_key, store, admission]")
        .doesNotContain("sk-master");
  }
}
