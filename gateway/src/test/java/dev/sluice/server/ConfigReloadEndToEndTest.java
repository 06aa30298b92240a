package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.ConfigLoader;
import dev.sluice.extension.ConfigReload;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live config reload, end to end over real sockets: {@code POST /admin/config/reload}, the file
 * watch and SIGHUP change routing, keys and breakers for the requests that start after, refuse a bad
 * file changing nothing, and leave requests in flight on the config they started with.
 */
class ConfigReloadEndToEndTest {
  private static final String MASTER = "sk-master-key-0001";
  private static final String SECOND_KEY = "sk-second-client-key-456";
  private static final String ERROR_503 = "{\"error\":{\"message\":\"down\",\"type\":\"server_error\"}}";

  @RegisterExtension
  final FakeUpstream a = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream b = new FakeUpstream();

  @TempDir
  Path dir;

  /** Providers a and b, model entries as given, the test key and {@code keys} more. */
  private String config(String models, String keys) {
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: a, type: openai-compatible, base_url: %s }
          - { name: b, type: openai-compatible, base_url: %s }
        models:
        %s
        keys:
          - { key: %s, name: tester }
        %s
        """.formatted(MASTER, a.baseUrl(), b.baseUrl(), models.indent(2).stripTrailing(), TestGateway.KEY,
        keys.indent(2).stripTrailing());
  }

  private static String chatOn(String provider) {
    return "- { name: chat, targets: [ { provider: " + provider + ", model: m } ] }";
  }

  /** Starts a gateway on {@code yaml}, written to the config file it reloads. */
  private TestGateway start(String yaml, FakeTicker ticker) throws Exception {
    Path file = write(yaml);
    TestGateway gw = ticker == null ? TestGateway.start(yaml) : TestGateway.start(yaml, ticker);
    String store = gw.gateway().config().storeUrl();
    gw.gateway().configFile(file, new ConfigLoader(Map.<String, String>of()::get),
        c -> c.withPort(0).withStoreUrl(store));
    return gw;
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static HttpResponse<String> reload(TestGateway gw) throws Exception {
    return gw.http().send(HttpRequest.newBuilder(URI.create(gw.url("/admin/config/reload")))
        .header("authorization", "Bearer " + MASTER).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  private static HttpResponse<String> send(TestGateway gw, String key, String body) throws Exception {
    return gw.http().send(HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
        .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String provider(HttpResponse<String> res) {
    return res.headers().firstValue("x-sluice-provider").orElse("(none: " + res.statusCode() + ")");
  }

  /** The {@code config.reload} entries of the audit log, newest first. */
  private static JsonNode reloadAudit(TestGateway gw) throws Exception {
    HttpResponse<String> res = gw.get("/admin/audit?action=config.reload", MASTER);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return Sse.json(res.body()).get("data");
  }

  /** The reload audit entries once at least {@code entries} are written: the audit log is written after the answer. */
  private static JsonNode reloadAudit(TestGateway gw, int entries) throws Exception {
    JsonNode[] seen = {null};
    Await.until(entries + " reload audit entries", () -> {
      try {
        seen[0] = reloadAudit(gw);
        return seen[0].size() >= entries;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(20));
    return seen[0];
  }

  @Test
  void adminReloadRoutesTheNextRequestByTheNewFileAndSaysWhatChanged() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    b.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = start(config(chatOn("a"), ""), null)) {
      assertThat(provider(send(gw, TestGateway.KEY, chat("chat")))).isEqualTo("a");

      write(config(chatOn("b") + "\n- { name: extra, targets: [ { provider: a, model: x } ] }",
          "- { key: " + SECOND_KEY + ", name: second, limits: { rpm: 100 } }"));
      HttpResponse<String> res = reload(gw);

      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode changes = Sse.json(res.body()).get("changes");
      assertThat(changes.at("/models/changed").toString()).isEqualTo("[\"chat\"]");
      assertThat(changes.at("/models/added").toString()).isEqualTo("[\"extra\"]");
      assertThat(changes.at("/keys/added").toString()).isEqualTo("[\"second\"]");
      assertThat(changes.get("limits").toString()).contains("key:second");
      assertThat(changes.get("needs_restart")).as("port and store are the running ones").isEmpty();
      assertThat(res.body()).doesNotContain(SECOND_KEY);

      assertThat(provider(send(gw, TestGateway.KEY, chat("chat")))).as("the next request").isEqualTo("b");
      assertThat(provider(send(gw, SECOND_KEY, chat("extra")))).as("a new key, a new model").isEqualTo("a");
      assertThat(gw.get("/v1/models").body()).contains("\"extra\"");
      assertThat(gw.get("/admin/config", MASTER).body()).contains("\"extra\"");
      assertThat(gw.get("/metrics").body()).as("the targets the reload added are exported")
          .contains("sluice_adaptive_concurrency_limit{target=\"a/x\"} 20000.0",
              "sluice_adaptive_concurrency_limit{target=\"b/m\"} 20000.0");

      JsonNode audit = reloadAudit(gw, 1);
      assertThat(audit.get(0).get("status").asInt()).isEqualTo(200);
      assertThat(audit.get(0).get("actor").asText()).startsWith("master:");
    }
  }

  @Test
  void theNewPricesApplyToTheRequestsThatStartAfterTheReload() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    String priced = "- { name: chat, targets: [ { provider: a, model: m, price: { input_per_mtok: %s, "
        + "output_per_mtok: %s } } ] }";
    try (TestGateway gw = start(config(priced.formatted("1", "2"), ""), null)) {
      java.math.BigDecimal before = cost(send(gw, TestGateway.KEY, chat("chat")));

      write(config(priced.formatted("10", "20"), ""));
      HttpResponse<String> res = reload(gw);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      assertThat(Sse.json(res.body()).at("/changes/prices").toString()).isEqualTo("[\"a/m\"]");

      java.math.BigDecimal after = cost(send(gw, TestGateway.KEY, chat("chat")));
      assertThat(before.signum()).isPositive();
      assertThat(after).as("ten times the price, same usage").isEqualByComparingTo(before.multiply(
          java.math.BigDecimal.TEN));
    }
  }

  private static java.math.BigDecimal cost(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new java.math.BigDecimal(res.headers().firstValue("x-sluice-cost-usd").orElseThrow());
  }

  @Test
  void aBadFileIsRefusedWith400NamingEveryProblemAndChangesNothing() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    b.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = start(config(chatOn("a"), ""), null)) {
      write(config("- { name: chat, targets: [ { provider: nowhere, model: m } ] }\n- { name: other, tagrets: [] }",
          ""));
      HttpResponse<String> res = reload(gw);

      assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
      JsonNode error = Sse.json(res.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.get("code").asText()).isEqualTo("invalid_config");
      assertThat(error.get("problems")).hasSizeGreaterThanOrEqualTo(2);
      assertThat(error.get("problems").toString()).contains("models[0].targets[0].provider").contains("models[1]");
      assertThat(error.get("message").asText()).contains("nothing changed");

      assertThat(provider(send(gw, TestGateway.KEY, chat("chat")))).as("routing unchanged").isEqualTo("a");
      JsonNode audit = reloadAudit(gw, 1);
      assertThat(audit.get(0).get("status").asInt()).as("a refused reload is audited too").isEqualTo(400);
    }
  }

  @Test
  void aStreamStartedBeforeAReloadThatRemovesItsModelFinishesNormally() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    a.dispatch(r -> FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(1, release));
    try (TestGateway gw = start(config(chatOn("a"), ""), null)) {
      CompletableFuture<HttpResponse<String>> stream = gw.http().sendAsync(gw.request("/v1/chat/completions")
          .POST(HttpRequest.BodyPublishers.ofString(OpenAiFixtures.streamRequest(false))).build(),
          HttpResponse.BodyHandlers.ofString());
      Await.until("the stream reached the upstream", () -> a.requestCount() == 1, Duration.ofSeconds(20));

      write(config("- { name: renamed, targets: [ { provider: b, model: m } ] }", ""));
      HttpResponse<String> res = reload(gw);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      assertThat(Sse.json(res.body()).at("/changes/models/removed").toString()).isEqualTo("[\"chat\"]");
      assertThat(send(gw, TestGateway.KEY, chat("chat")).statusCode()).as("a new request for it").isEqualTo(404);

      release.complete(null);
      HttpResponse<String> done = stream.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(Sse.dataLines(done.body())).last().isEqualTo("[DONE]");
      assertThat(done.body()).doesNotContain("\"error\"");
    }
  }

  @Test
  void anOpenBreakerOnAnUnchangedTargetStaysOpenAndAChangedTargetStartsOver() throws Exception {
    a.dispatch(r -> FakeResponse.json(503, ERROR_503));
    b.dispatch(r -> FakeResponse.json(503, ERROR_503));
    String models = """
        - name: chat
          targets: [ { provider: a, model: m } ]
          retries: { max_attempts: 1 }
          breaker: { consecutive_failures: 2, cooldown: 60s }
        - name: other
          targets: [ { provider: b, model: m } ]
          retries: { max_attempts: 1 }
          breaker: { consecutive_failures: %d, cooldown: 60s }
        """;
    try (TestGateway gw = start(config(models.formatted(2), ""), new FakeTicker())) {
      for (int i = 0; i < 3; i++) {
        send(gw, TestGateway.KEY, chat("chat"));
        send(gw, TestGateway.KEY, chat("other"));
      }
      JsonNode before = Sse.json(gw.get("/admin/breakers", MASTER).body()).get("breakers");
      assertThat(before.get("a/m").asText()).isEqualTo("OPEN");
      assertThat(before.get("b/m").asText()).isEqualTo("OPEN");

      // b's breaker settings change; a, its provider and its entry do not.
      write(config(models.formatted(3), ""));
      HttpResponse<String> res = reload(gw);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      assertThat(Sse.json(res.body()).at("/changes/models/changed").toString()).isEqualTo("[\"other\"]");

      JsonNode after = Sse.json(gw.get("/admin/breakers", MASTER).body()).get("breakers");
      assertThat(after.get("a/m").asText()).as("unchanged target: state kept").isEqualTo("OPEN");
      assertThat(after.has("b/m") ? after.get("b/m").asText() : "CLOSED").as("changed target: fresh state")
          .isEqualTo("CLOSED");
    }
  }

  @Test
  void aKeyRemovedFromTheFileIsRefusedRightAfterTheReload() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    String second = "- { key: " + SECOND_KEY + ", name: second }";
    try (TestGateway gw = start(config(chatOn("a"), second), null)) {
      assertThat(send(gw, SECOND_KEY, chat("chat")).statusCode()).isEqualTo(200);

      write(config(chatOn("a"), ""));
      HttpResponse<String> res = reload(gw);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      assertThat(Sse.json(res.body()).at("/changes/keys/removed").toString()).isEqualTo("[\"second\"]");

      assertThat(send(gw, SECOND_KEY, chat("chat")).statusCode()).isEqualTo(401);
      assertThat(send(gw, TestGateway.KEY, chat("chat")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRaisedKeyLimitAppliesToTheNextRequest() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    String limited = "- { key: " + SECOND_KEY + ", name: second, limits: { rpm: %d } }";
    String noWait = "admission: { max_wait: 50ms }\n";
    try (TestGateway gw = start(config(chatOn("a"), limited.formatted(1)) + noWait, null)) {
      assertThat(send(gw, SECOND_KEY, chat("chat")).statusCode()).isEqualTo(200);
      assertThat(send(gw, SECOND_KEY, chat("chat")).statusCode()).as("over 1 rpm").isEqualTo(429);

      write(config(chatOn("a"), limited.formatted(100)) + noWait);
      HttpResponse<String> res = reload(gw);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      assertThat(Sse.json(res.body()).get("changes").get("limits").toString()).isEqualTo("[\"key:second\"]");

      assertThat(send(gw, SECOND_KEY, chat("chat")).statusCode()).as("within 100 rpm").isEqualTo(200);
    }
  }

  @Test
  void theFileWatchReloadsAWriteInPlaceAndAnAtomicRenameOnlyOnceTheContentHoldsStill() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    b.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = start(config(chatOn("a"), ""), null)) {
      ConfigWatch watch = gw.gateway().watch();
      assertThat(watch.check()).as("nothing changed").isFalse();

      // Written in place in two steps: the half file is never reloaded.
      String toB = config(chatOn("b"), "");
      Files.writeString(dir.resolve("sluice.yaml"), toB.substring(0, toB.length() / 2));
      assertThat(watch.check()).as("first look at the half file").isFalse();
      Files.writeString(dir.resolve("sluice.yaml"), toB);
      assertThat(watch.check()).as("the content moved on: look again").isFalse();
      assertThat(watch.check()).as("the same content twice: reload").isTrue();
      Await.until("the reload applied", () -> gw.gateway().config().models().get(0).targets().get(0).provider()
          .equals("b"), Duration.ofSeconds(20));
      assertThat(provider(send(gw, TestGateway.KEY, chat("chat")))).isEqualTo("b");
      assertThat(watch.check()).as("nothing new").isFalse();

      // An editor's atomic save: a temporary file renamed over the config.
      Path tmp = dir.resolve(".sluice.yaml.tmp");
      Files.writeString(tmp, config(chatOn("a"), ""));
      Files.move(tmp, dir.resolve("sluice.yaml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertThat(watch.check()).isFalse();
      assertThat(watch.check()).isTrue();
      Await.until("the reload applied", () -> gw.gateway().config().models().get(0).targets().get(0).provider()
          .equals("a"), Duration.ofSeconds(20));
      assertThat(provider(send(gw, TestGateway.KEY, chat("chat")))).isEqualTo("a");

      JsonNode audit = reloadAudit(gw, 2);
      assertThat(audit).as("two reloads, no refused half file").hasSize(2);
      audit.forEach(e -> {
        assertThat(e.get("status").asInt()).isEqualTo(200);
        assertThat(e.get("actor").asText()).isEqualTo("config_watch");
      });
    }
  }

  @Test
  void withConfigWatchOnAChangedFileIsPickedUpByTheTimer() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    b.dispatch(r -> FakeResponse.json(200, COMPLETION));
    String watched = config(chatOn("a"), "").replace("server: { host: 127.0.0.1,", "server: { host: 127.0.0.1, config_watch: true,");
    try (TestGateway gw = start(watched, null)) {
      write(watched.replace("provider: a, model: m", "provider: b, model: m"));
      Await.until("the watch reloaded the file", () -> gw.gateway().config().models().get(0).targets().get(0)
          .provider().equals("b"), Duration.ofSeconds(30));
      assertThat(provider(send(gw, TestGateway.KEY, chat("chat")))).isEqualTo("b");
    }
  }

  @Test
  void sighupReloadsTheFile() throws Exception {
    a.dispatch(r -> FakeResponse.json(200, COMPLETION));
    b.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = start(config(chatOn("a"), ""), null)) {
      // Until the gateway shuts down, when the JVM's own handler is back.
      assertThat(gw.gateway().reloadOnHangup()).as("this JVM has SIGHUP").isTrue();
      write(config(chatOn("b"), ""));
      // Safe to raise in the test JVM: our handler is installed, so HUP does not reach the JVM's default.
      sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
      Await.until("SIGHUP reloaded the file", () -> gw.gateway().config().models().get(0).targets().get(0)
          .provider().equals("b"), Duration.ofSeconds(20));
      assertThat(provider(send(gw, TestGateway.KEY, chat("chat")))).isEqualTo("b");
      Await.until("the reload is audited", () -> {
        try {
          JsonNode audit = reloadAudit(gw);
          return audit.size() == 1 && audit.get(0).get("actor").asText().equals("sighup");
        } catch (Exception e) {
          return false;
        }
      }, Duration.ofSeconds(20));
    }
  }

  @Test
  void withoutAConfigFileTheGatewaySaysThereIsNothingToReload() throws Exception {
    try (TestGateway gw = TestGateway.start(config(chatOn("a"), ""))) {
      ConfigReload r = Await.await(gw.gateway().reload("test"));
      assertThat(r.applied()).isFalse();
      assertThat(r.problems().get(0).message()).contains("nothing to reload");
    }
  }
}
