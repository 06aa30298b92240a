package dev.sluice.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.ConfigException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API as an application uses it: start in-process, call over HTTP, close, port free again. */
class SluiceEmbeddingTest {
  private static final String KEY = "sk-embedded-app-key-123";
  private static final String MASTER = "sk-embedded-master-key-0123456789";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private String config(String store) {
    return """
        server: { host: 127.0.0.1, port: 0, master_key: %s, shutdown_grace: 5s }
        %s
        providers:
          - { name: up, type: openai-compatible, base_url: %s, api_key: sk-provider-secret-0123456789 }
        models:
          - { name: chat, targets: [ { provider: up, model: upstream-model } ] }
        keys:
          - { key: %s, name: app }
        """.formatted(MASTER, store == null ? "" : "store: { url: \"" + store + "\" }", upstream.baseUrl(), KEY);
  }

  @Test
  void startsFromAFileOnAFreePortAnswersLogsTheRequestAndFreesThePortOnClose() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    Path file = dir.resolve("sluice.yaml");
    // Without a store: the default SQLite file goes next to the config file, not into the application's directory.
    Files.writeString(file, config(null));
    int port;
    try (Sluice gateway = Sluice.start(SluiceConfig.load(file))) {
      port = gateway.port();
      assertThat(port).isPositive();
      assertThat(gateway.baseUrl()).isEqualTo("http://127.0.0.1:" + port);

      HttpResponse<String> answer = chat(gateway, "embed-1");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(json(answer.body()).path("choices").path(0).path("message").path("content").asText())
          .isEqualTo("Hello! How can I help?");
      assertThat(upstream.takeRequest().body()).contains("upstream-model");

      // The request log (and with it the ledger) counted it, as the admin API shows.
      Await.until("the request reached the request log", () -> get(gateway, "/admin/requests/embed-1").statusCode() == 200,
          Duration.ofSeconds(20));
      JsonNode row = json(get(gateway, "/admin/requests/embed-1").body());
      assertThat(row.path("model").asText()).isEqualTo("chat");
      assertThat(row.path("status").asInt()).isEqualTo(200);
      assertThat(Files.exists(dir.resolve("sluice.db"))).isTrue();
    }
    assertPortFree(port);
  }

  @Test
  void startsFromAYamlStringOnTheApplicationsVertxAndLeavesItRunning() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    Vertx vertx = Vertx.vertx();
    try {
      Sluice gateway = Sluice.start(vertx, SluiceConfig.fromYaml(config("sqlite:" + dir.resolve("string.db"))));
      int port = gateway.port();
      HttpResponse<String> answer = chat(gateway, "embed-2");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      gateway.close();
      gateway.close(); // idempotent

      assertPortFree(port);
      // The application's Vert.x instance still runs: it can start another gateway on it.
      try (Sluice again = Sluice.start(vertx, SluiceConfig.fromYaml(config("sqlite:" + dir.resolve("again.db"))))) {
        assertThat(chat(again, "embed-3").statusCode()).isEqualTo(200);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBadConfigFailsBeforeStartingWithEveryProblem() {
    assertThatThrownBy(() -> SluiceConfig.fromYaml("""
        server: { port: 0, colour: blue }
        models: [ { name: chat, targets: [ { provider: nowhere, model: m } ] } ]
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("(in-memory config)")
        .hasMessageContaining("colour")
        .hasMessageContaining("nowhere");
    assertThatThrownBy(() -> SluiceConfig.load(dir.resolve("missing.yaml")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read file");
  }

  @Test
  void aTakenPortFailsTheStartWithTheCause() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SluiceConfig cfg = SluiceConfig.fromYaml(config("sqlite:" + dir.resolve("taken.db"))).withPort(taken.getLocalPort());
      assertThatThrownBy(() -> Sluice.start(cfg))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Sluice could not start:")
          .hasMessageContaining("ddress already in use");
    }
  }

  private HttpResponse<String> chat(Sluice gateway, String requestId) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
        .header("authorization", "Bearer " + KEY).header("x-request-id", requestId)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(Sluice gateway, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(20))
          .header("authorization", "Bearer " + MASTER).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String body) throws Exception {
    return new ObjectMapper().readTree(body);
  }

  /** Closed means closed: the listening socket is gone, so the port can be bound again. */
  private static void assertPortFree(int port) throws Exception {
    try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }
}
