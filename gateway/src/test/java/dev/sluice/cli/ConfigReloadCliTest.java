package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice config reload}: asks the running gateway to reload its file and prints what changed or why not. */
class ConfigReloadCliTest {
  private static final String MASTER = "sk-master-key-0001";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path dir;

  private String config(String modelName) {
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: up, type: openai-compatible, base_url: %s }
        models:
          - { name: %s, targets: [ { provider: up, model: m } ] }
        keys: [ { key: %s, name: tester } ]
        """.formatted(MASTER, upstream.baseUrl(), modelName, TestGateway.KEY);
  }

  @Test
  void printsWhatChangedOrEveryProblemWithItsExitCode() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, config("chat"));
    try (TestGateway gw = TestGateway.start(config("chat"))) {
      String store = gw.gateway().config().storeUrl();
      gw.gateway().configFile(file, new ConfigLoader(Map.<String, String>of()::get),
          c -> c.withPort(0).withStoreUrl(store));

      Files.writeString(file, config("chat-v2"));
      KeysCliTest.Run ok = KeysCliTest.sluice("config", "reload", "--url", gw.url(""), "--master-key", MASTER);
      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(ok.out()).contains("Reloaded").contains("models").contains("chat-v2");
      assertThat(gw.get("/v1/models").body()).contains("chat-v2");

      Files.writeString(file, config("chat-v3").replace("provider: up", "provider: gone"));
      KeysCliTest.Run bad = KeysCliTest.sluice("config", "reload", "--url", gw.url(""), "--master-key", MASTER);
      assertThat(bad.code()).isEqualTo(1);
      assertThat(bad.err()).contains("400").contains("models[0].targets[0].provider");
      assertThat(gw.get("/v1/models").body()).contains("chat-v2").doesNotContain("chat-v3");
    }
  }
}
