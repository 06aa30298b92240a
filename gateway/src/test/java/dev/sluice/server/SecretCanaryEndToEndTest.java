package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.testing.Canaries;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.DebugLogCapture;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.OtlpReceiver;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets never leak. A gateway is configured with recognisable secrets (every provider type's
 * API key, a provider header, the master key, a metrics key, a static client key, an OTLP header, a
 * Redis password; then stored keys created through the admin API) in front of fake providers that
 * echo back the credentials they receive — in 4xx and 5xx bodies and headers, in malformed
 * answers, in mid-stream error events — or hang, reset and cut streams. Every error path is driven
 * through both front doors, embeddings, client authentication and the admin API. Then everything a
 * client, an operator or the store can see is searched for the secrets, plain, URL-encoded and in
 * base64 (and, outside the key store, as SHA-256 digests): every HTTP answer (status, headers, body),
 * everything logged with every logger at DEBUG, {@code /metrics}, every exported span, every row
 * and every byte of the SQLite store and its journal.
 */
class SecretCanaryEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path dir;

  private static final String MARKER = "UPSTREAM-TEXT-MARKER";
  private static final Pattern SCENARIO = Pattern.compile("scn-([a-z0-9]+)");
  private static final List<String> PROVIDERS = List.of("openai", "compat", "azure", "anthropic", "gemini");
  private static final List<String> WHOLE_SCENARIOS = List.of("401", "403", "400", "404", "429", "500", "502text",
      "503", "malformed", "reset");
  private static final List<String> STREAM_SCENARIOS = List.of("401stream", "500stream", "streamerror",
      "streammalformed", "streamcut");

  private final Canaries canaries = new Canaries();
  private final String openAiKey = canaries.plant("openai api_key", "sk-CANARY-provider-openai-4fJ9qL2xT0");
  // With + and /: a key-shape pass masks its "sk-..." head only; what follows must go too.
  private final String compatKey = canaries.plant("openai-compatible api_key",
      "sk-CANARY-provider-compat+8Hd3kP0v/Qw5Zr7Lm==");
  private final String compatHeader = canaries.plant("openai-compatible header", "CANARY-header-token-6Tz1mW5q");
  // Shaped like a real Azure key (32 hex-ish characters): nothing "key-shaped" about it.
  private final String azureKey = canaries.plant("azure-openai api_key", "c4a7a9e1CANARYa2e0b2d3f5e6a8c9d1");
  private final String anthropicKey = canaries.plant("anthropic api_key",
      "sk-ant-api03-CANARY-provider-anthropic-Xy7_Qa");
  private final String geminiKey = canaries.plant("gemini api_key", "AIzaSyCANARY-provider-gemini-Vb82nQ");
  private final String slowKey = canaries.plant("slow provider api_key", "CANARYslowProviderKey-q8R2");
  private final String master = canaries.plant("master key", "sk-CANARY-master-Zm9v+YmFy/cXV4LW1hc3Rlcg==");
  private final String metricsKey = canaries.plant("metrics key", "sk-CANARY-metrics-3kd9WqLm");
  // A user-chosen static key, as `openssl rand -base64` makes them: + / = included.
  private final String clientKey = canaries.plant("static client key", "CANARY+client/key=Rm9vYmFyQmF6");
  private final String wrongKey = canaries.plant("unknown client key", "sk-CANARY-wrong-client-key-77Xa");
  private final String otlpHeader = canaries.plant("otlp header", "CANARY-otlp-token-5Gh2Kp");
  private final String redisPassword = canaries.plant("redis password", "CANARY-redis-password-9Lp4");
  // A chat webhook's URL is its credential.
  private final String webhookPath = canaries.plant("budget alert webhook path", "CANARY-webhook-path-4Rt7Zx");
  private String storedKey;
  private int inference;

  @Test
  void plantedSecretsAppearNowhereAfterEveryErrorPath() throws Exception {
    upstream.dispatch(this::answer);
    Path db = dir.resolve("canary.db");
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      try (DebugLogCapture logs = DebugLogCapture.everythingAtDebug()) {
        // DEBUG is really on, and captured, for both logging back ends (SLF4J/Logback, java.util.logging).
        for (String logger : List.of("dev.sluice", "io.vertx.core", "io.netty.channel")) {
          assertThat(LoggerFactory.getLogger(logger).isDebugEnabled()).as("DEBUG on for " + logger).isTrue();
          LoggerFactory.getLogger(logger + ".canaryprobe").debug("canary probe");
        }
        java.util.logging.Logger.getLogger("io.opentelemetry.canaryprobe").fine("canary probe");
        assertThat(logs.debugLoggers()).contains("dev.sluice.canaryprobe", "io.vertx.core.canaryprobe",
            "io.netty.channel.canaryprobe", "io.opentelemetry.canaryprobe");
        TestGateway gw = TestGateway.start(config(receiver, db));
        try {
          adminCreatesKeys(gw);
          providerErrorsThroughTheOpenAiFront(gw);
          providerErrorsThroughTheAnthropicFront(gw);
          timeouts(gw);
          embeddings(gw);
          clientAuthErrors(gw);
          adminErrorsAndListings(gw);
          HttpResponse<String> metrics = call(gw, "GET", "/metrics", null, "authorization", "Bearer " + master);
          assertThat(metrics.body()).contains("sluice_upstream_errors_total").contains("sluice_key_lookups_total");
          call(gw, "GET", "/v1/models", null, "authorization", "Bearer " + clientKey);
        } finally {
          gw.close(); // flushes the ledger and request log to the store, and the spans to the receiver
        }
        List<String> lines = logs.lines();
        for (int i = 0; i < lines.size(); i++) {
          canaries.surface("log line " + i + ": " + lines.get(i).lines().findFirst().orElse(""), lines.get(i));
        }
        canaries.surface("standard out and error", logs.printed());
        // The paths that hold a secret of their own ran: Redis (unreachable) and the budget alert (refused).
        assertThat(lines).anyMatch(l -> l.contains("Redis not reachable"))
            .anyMatch(l -> l.contains("budget alert (team 'canary-team' at 50%) not delivered"));
      }
      assertThat(LoggerFactory.getLogger("io.netty.channel").isDebugEnabled()).as("levels restored").isFalse();
      spans(receiver);
    }
    store(db);
    assertThat(canaries.surfaceCount()).isGreaterThan(200);
    canaries.assertNoneFound();
  }

  // ---------------------------------------------------------------- the gateway

  private String config(OtlpReceiver receiver, Path db) throws Exception {
    String base = "http://127.0.0.1:" + upstream.port();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    return """
        server: { host: 127.0.0.1, master_key: "%s", metrics_key: "%s" }
        providers:
          - { name: openai, type: openai, base_url: "%s/openai/v1", api_key: "%s" }
          - { name: compat, type: openai-compatible, base_url: "%s/compat/v1", api_key: "%s",
              headers: { x-upstream-token: "%s" } }
          - { name: azure, type: azure-openai, base_url: "%s/azure", api_key: "%s", api_version: 2024-10-21 }
          - { name: anthropic, type: anthropic, base_url: "%s/anthropic", api_key: "%s" }
          - { name: gemini, type: gemini, base_url: "%s/gemini", api_key: "%s" }
          - { name: slow, type: openai-compatible, base_url: "%s/slow/v1", api_key: "%s",
              timeouts: { first_token: 400ms } }
          - { name: quiet, type: openai-compatible, base_url: "%s/quiet/v1", api_key: "%s",
              timeouts: { first_token: 60s, idle: 400ms } }
        models:
          - name: chat
            targets:
              - { provider: openai, model: scn-ok, price: { input_per_mtok: 1000000, output_per_mtok: 1000000 } }
        teams:
          - name: canary-team
            log_bodies: { enabled: true, max_bytes: 65536 }
            budget: { usd: 1, mode: soft, alert_webhook: "http://127.0.0.1:%d/hooks/%s", alert_thresholds: [0.5] }
        keys:
          - { key: "%s", name: canary-client, team: canary-team }
        store: { url: "sqlite:%s" }
        redis: { url: "redis://default:%s@127.0.0.1:%d", on_failure: local }
        observability:
          otlp: { endpoint: "%s", headers: { x-otlp-token: "%s" } }
        """.formatted(master, metricsKey, base, openAiKey, base, compatKey, compatHeader, base, azureKey,
        base, anthropicKey, base, geminiKey, base, slowKey, base, slowKey, closedPort, webhookPath, clientKey, db,
        redisPassword, closedPort, receiver.endpoint(), otlpHeader);
  }

  /** The client credentials requests take turns with: static, master, stored (Bearer and x-api-key). */
  private String[] auth(int turn) {
    return switch (turn % 4) {
      case 0 -> new String[] {"authorization", "Bearer " + clientKey};
      case 1 -> new String[] {"authorization", "Bearer " + master};
      case 2 -> new String[] {"authorization", "Bearer " + storedKey};
      default -> new String[] {"x-api-key", storedKey};
    };
  }

  private HttpResponse<String> call(TestGateway gw, String method, String path, String body, String... headers)
      throws Exception {
    return call(gw, method, path, body, List.of(), headers);
  }

  /** One request; its answer (status, every header, the body) becomes a surface to search. */
  private HttpResponse<String> call(TestGateway gw, String method, String path, String body, List<String> mayShow,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> res = gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    StringBuilder seen = new StringBuilder().append(res.statusCode()).append('\n');
    res.headers().map().forEach((k, v) -> seen.append(k).append(": ").append(String.join(", ", v)).append('\n'));
    seen.append('\n').append(res.body());
    String name = method + " " + path.replaceAll("[^\\x21-\\x7e]", "?") + " -> " + res.statusCode();
    canaries.surface(name, seen.toString(), false, mayShow.toArray(String[]::new));
    return res;
  }

  private static JsonNode json(HttpResponse<String> res) throws Exception {
    return Json.MAPPER.readTree(res.body());
  }

  private static String enc(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---------------------------------------------------------------- traffic

  private void adminCreatesKeys(TestGateway gw) throws Exception {
    HttpResponse<String> created = call(gw, "POST", "/admin/keys",
        "{\"name\":\"canary-stored\",\"team\":\"canary-team\"}", List.of("stored key"), "authorization",
        "Bearer " + master);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    storedKey = canaries.plant("stored key", json(created).get("key").asText());
    assertThat(json(created).get("key_prefix").asText()).isEqualTo(storedKey.substring(0, 12));
  }

  private void providerErrorsThroughTheOpenAiFront(TestGateway gw) throws Exception {
    for (String provider : PROVIDERS) {
      for (String scenario : Stream.concat(WHOLE_SCENARIOS.stream(), STREAM_SCENARIOS.stream()).toList()) {
        boolean stream = STREAM_SCENARIOS.contains(scenario);
        String body = "{\"model\":\"" + provider + "/scn-" + scenario + "\"," + (stream ? "\"stream\":true," : "")
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        HttpResponse<String> res = call(gw, "POST", "/v1/chat/completions", body, auth(inference++));
        String where = provider + " " + scenario + ": " + res.body();
        switch (scenario) {
          case "401", "403", "401stream" -> {
            // The provider's 401/403 quotes the key it was given: never passed on, a clean gateway error instead.
            assertThat(res.statusCode()).as(where).isEqualTo(502);
            JsonNode error = json(res).get("error");
            assertThat(error.get("code").asText()).as(where).isEqualTo("auth");
            assertThat(error.get("message").asText()).as(where).startsWith("Provider '" + provider + "' failed: ")
                .contains("rejected the gateway's credentials").doesNotContain(MARKER);
          }
          case "400", "404", "429", "500", "500stream", "502text", "503" -> {
            int expected = switch (scenario) {
              case "400" -> 400;
              case "404" -> 404;
              case "429" -> 429;
              case "503" -> 503;
              default -> 502;
            };
            assertThat(res.statusCode()).as(where).isEqualTo(expected);
            // Other provider text is passed on, after the secrets in it are redacted.
            assertThat(json(res).get("error").get("message").asText()).as(where).contains(MARKER);
          }
          case "malformed", "reset" -> assertThat(res.statusCode()).as(where).isEqualTo(502);
          default -> {
            // After the first token: a 200 stream that ends with the front's terminal error event.
            assertThat(res.statusCode()).as(where).isEqualTo(200);
            assertThat(res.body()).as(where).contains("Hel").contains("\"error\"").doesNotContain("[DONE]");
          }
        }
      }
    }
    HttpResponse<String> ok = call(gw, "POST", "/v1/chat/completions", OpenAiFixtures.SIMPLE_REQUEST, auth(0));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    inference++;
  }

  private void providerErrorsThroughTheAnthropicFront(TestGateway gw) throws Exception {
    for (String provider : PROVIDERS) {
      for (String scenario : List.of("401", "500", "502text", "streamerror", "streammalformed")) {
        boolean stream = scenario.startsWith("stream");
        String body = "{\"model\":\"" + provider + "/scn-" + scenario + "\",\"max_tokens\":50,"
            + (stream ? "\"stream\":true," : "") + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        HttpResponse<String> res = call(gw, "POST", "/v1/messages", body, auth(inference++));
        String where = provider + " " + scenario + " (messages): " + res.body();
        if (stream) {
          assertThat(res.statusCode()).as(where).isEqualTo(200);
          assertThat(res.body()).as(where).contains("event: error");
        } else {
          assertThat(res.statusCode()).as(where).isEqualTo(502);
          assertThat(json(res).get("type").asText()).as(where).isEqualTo("error");
          if (scenario.equals("401")) {
            assertThat(res.body()).as(where).doesNotContain(MARKER);
          }
        }
      }
    }
  }

  private void timeouts(TestGateway gw) throws Exception {
    HttpResponse<String> hang = call(gw, "POST", "/v1/chat/completions",
        "{\"model\":\"slow/scn-hang\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", auth(inference++));
    assertThat(hang.statusCode()).as(hang.body()).isEqualTo(504);
    HttpResponse<String> idle = call(gw, "POST", "/v1/chat/completions",
        "{\"model\":\"quiet/scn-idle\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        auth(inference++));
    assertThat(idle.statusCode()).isEqualTo(200);
    assertThat(idle.body()).contains("\"error\"").doesNotContain("[DONE]");
    List<String> deadline = new ArrayList<>(List.of(auth(inference++)));
    deadline.addAll(List.of("x-sluice-timeout", "300"));
    HttpResponse<String> cut = call(gw, "POST", "/v1/chat/completions",
        "{\"model\":\"openai/scn-hang\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        deadline.toArray(String[]::new));
    assertThat(cut.statusCode()).as(cut.body()).isEqualTo(504);
  }

  private void embeddings(TestGateway gw) throws Exception {
    for (String model : List.of("openai/scn-401", "openai/scn-500", "openai/scn-malformed", "gemini/scn-401",
        "gemini/scn-500", "azure/scn-500")) {
      HttpResponse<String> res = call(gw, "POST", "/v1/embeddings",
          "{\"model\":\"" + model + "\",\"input\":\"Hi\"}", auth(inference++));
      assertThat(res.statusCode()).as(model + ": " + res.body()).isGreaterThanOrEqualTo(400);
    }
  }

  private void clientAuthErrors(TestGateway gw) throws Exception {
    String chat = OpenAiFixtures.SIMPLE_REQUEST;
    assertThat(call(gw, "POST", "/v1/chat/completions", chat, "authorization", "Bearer " + wrongKey).statusCode())
        .isEqualTo(401);
    assertThat(call(gw, "POST", "/v1/messages", "{\"model\":\"chat\",\"max_tokens\":5,\"messages\":[]}",
        "x-api-key", wrongKey).statusCode()).isEqualTo(401);
    assertThat(call(gw, "POST", "/v1/chat/completions", chat, "authorization", "Bearer " + openAiKey).statusCode())
        .as("a provider key is no client key").isEqualTo(401);
    assertThat(call(gw, "POST", "/v1/chat/completions", chat, "authorization", "Basic "
        + Base64.getEncoder().encodeToString(("user:" + clientKey).getBytes(StandardCharsets.UTF_8))).statusCode())
        .isEqualTo(401);
    // A revoked stored key.
    HttpResponse<String> second = call(gw, "POST", "/admin/keys", "{\"name\":\"canary-revoked\"}",
        List.of("revoked stored key"), "authorization", "Bearer " + master);
    String revoked = canaries.plant("revoked stored key", json(second).get("key").asText());
    String id = json(second).get("id").asText();
    assertThat(call(gw, "DELETE", "/admin/keys/" + id, null, "authorization", "Bearer " + master).statusCode())
        .isEqualTo(200);
    HttpResponse<String> refused = call(gw, "POST", "/v1/chat/completions", chat, "authorization", "Bearer " + revoked);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(json(refused).get("error").get("code").asText()).isEqualTo("key_revoked");
    // What a key sees of itself: a prefix at most.
    for (String key : List.of(clientKey, storedKey, master)) {
      HttpResponse<String> self = call(gw, "GET", "/v1/sluice/key", null, "authorization", "Bearer " + key);
      assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
    }
    assertThat(call(gw, "GET", "/v1/sluice/requests/" + enc(clientKey), null, "authorization", "Bearer " + clientKey)
        .statusCode()).isEqualTo(404);
    assertThat(call(gw, "GET", "/v1/sluice/requests?limit=100", null, "authorization", "Bearer " + storedKey)
        .statusCode()).isEqualTo(200);
  }

  private void adminErrorsAndListings(TestGateway gw) throws Exception {
    String[] asMaster = {"authorization", "Bearer " + master};
    // Wrong keys at the admin door.
    for (String key : List.of(openAiKey, clientKey, storedKey, wrongKey)) {
      assertThat(call(gw, "GET", "/admin/keys", null, "authorization", "Bearer " + key).statusCode()).isEqualTo(401);
    }
    // Listings: never a plain key, never a hash.
    HttpResponse<String> list = call(gw, "GET", "/admin/keys", null, asMaster);
    assertThat(list.statusCode()).isEqualTo(200);
    for (JsonNode k : json(list).get("data")) {
      assertThat(k.get("key_prefix").asText().length()).isLessThanOrEqualTo(12);
      assertThat(k.has("key")).isFalse();
      assertThat(k.has("key_hash")).isFalse();
    }
    String id = json(list).get("data").get(0).get("id").asText();
    call(gw, "GET", "/admin/keys/" + id, null, asMaster);
    call(gw, "GET", "/admin/keys?team=canary-team", null, asMaster);
    // Bad bodies that carry secrets where a value should be.
    List<String[]> bad = List.of(
        new String[] {"POST", "/admin/keys", "{\"name\":\"x\",\"budget\":{\"usd\":\"" + master + "\"}}"},
        new String[] {"POST", "/admin/keys", "{\"name\":\"x\",\"expires_at\":\"" + storedKey + "\"}"},
        new String[] {"POST", "/admin/keys", "{\"name\":[\"" + openAiKey + "\"]}"},
        new String[] {"POST", "/admin/keys", "{\"name\":\"x\",\"models\":\"" + anthropicKey + "\"}"},
        new String[] {"POST", "/admin/keys", "{\"name\":\"x\",\"metadata\":\"" + clientKey + "\"}"},
        new String[] {"POST", "/admin/keys", "{\"name\":\"" + geminiKey},
        new String[] {"POST", "/admin/keys", "{\"name\":\"x\",\"priority\":\"" + azureKey + "\"}"},
        new String[] {"PATCH", "/admin/keys/" + id, "{\"limits\":{\"rpm\":\"" + compatKey + "\"}}"},
        new String[] {"PATCH", "/admin/keys/" + id, "{\"budget\":{\"usd\":\"1\",\"period\":\"" + master + "\"}}"},
        new String[] {"POST", "/admin/teams", "{\"name\":\"t\",\"budget\":{\"usd\":\"10\",\"alert_webhook\":\""
            + master + "\"}}"},
        new String[] {"POST", "/admin/teams", "{\"name\":\"t\",\"budget\":{\"usd\":\"" + openAiKey + "\"}}"});
    for (String[] b : bad) {
      HttpResponse<String> res = call(gw, b[0], b[1], b[2], asMaster);
      assertThat(res.statusCode()).as(b[2] + " → " + res.body()).isEqualTo(400);
    }
    // Unknown ids, including the plain key where its id belongs (revoking "by key").
    for (String path : List.of("/admin/keys/" + storedKey, "/admin/keys/" + enc(master),
        "/admin/teams/" + enc(clientKey), "/admin/requests/" + storedKey)) {
      assertThat(call(gw, "GET", path, null, asMaster).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(call(gw, "DELETE", "/admin/keys/" + storedKey, null, asMaster).statusCode()).isEqualTo(404);
    assertThat(call(gw, "PATCH", "/admin/keys/" + enc(clientKey), "{\"team\":\"x\"}", asMaster).statusCode())
        .isEqualTo(404);
    // Reports and the request log with its stored bodies.
    call(gw, "GET", "/admin/spend?group_by=key", null, asMaster);
    call(gw, "GET", "/admin/stats?metric=latency&group_by=key", null, asMaster);
    call(gw, "GET", "/admin/breakers", null, asMaster);
    call(gw, "GET", "/admin/teams", null, asMaster);
    HttpResponse<String> audit = call(gw, "GET", "/admin/audit?limit=500", null, asMaster);
    assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
    assertThat(json(audit).get("data").size()).as("admin writes audited").isGreaterThan(10);
    HttpResponse<String> requests = call(gw, "GET", "/admin/requests?limit=500", null, asMaster);
    assertThat(requests.statusCode()).isEqualTo(200);
    for (JsonNode r : json(requests).get("data")) {
      call(gw, "GET", "/admin/requests/" + enc(r.get("id").asText()), null, asMaster);
    }
  }

  // ---------------------------------------------------------------- what is searched after the traffic

  private void spans(OtlpReceiver receiver) throws Exception {
    receiver.awaitSpans(inference, s -> s.kind().equals("SPAN_KIND_CLIENT"), Duration.ofSeconds(30));
    List<byte[]> exports = receiver.rawExports();
    for (int i = 0; i < exports.size(); i++) {
      canaries.surface("OTLP export " + i, exports.get(i), false);
    }
    for (OtlpReceiver.ReceivedSpan s : receiver.spans()) {
      canaries.surface("span " + s.name() + " " + s.spanId(), s.toString());
    }
  }

  /** Every row of every table, and every byte of the database, its WAL and the ledger journal. */
  private void store(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("ledger", "request_log", "request_bodies", "api_keys");
      for (String table : tables) {
        StringBuilder rows = new StringBuilder();
        int n = 0;
        try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            n++;
            for (int i = 1; i <= columns; i++) {
              Object v = rs.getObject(i);
              rows.append(v instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : v).append('\t');
            }
            rows.append('\n');
          }
        }
        if (List.of("ledger", "request_log", "request_bodies").contains(table)) {
          assertThat(n).as(table + " rows").isGreaterThan(table.equals("request_bodies") ? 10 : 50);
        }
        // The key store keeps each stored key's SHA-256 by design: digests are allowed there, nothing else.
        canaries.surface("store table " + table, rows.toString(), true);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        canaries.surface("store file " + dir.relativize(f), Files.readAllBytes(f), true);
      }
    }
  }

  // ---------------------------------------------------------------- the fake providers

  /** Answers by the scenario named in the model (path or body), in the shape of the provider it was sent as. */
  private FakeResponse answer(RecordedRequest r) {
    String provider = r.uri().split("/")[1];
    Matcher m = SCENARIO.matcher(r.uri() + " " + r.body());
    String scenario = m.find() ? m.group(1) : "none";
    String key = receivedKey(r);
    String echo = MARKER + ": Incorrect API key provided: " + key + ". Headers seen: " + headersSeen(r)
        + ". Base64: " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
        + ". See https://example.com/keys?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    return switch (scenario) {
      case "ok" -> FakeResponse.json(200, OpenAiFixtures.COMPLETION);
      case "401", "403", "400", "404", "429", "500", "503" -> error(Integer.parseInt(scenario), echo);
      case "401stream" -> error(401, echo);
      case "500stream" -> error(500, echo);
      case "502text" -> FakeResponse.json(502, "<html>" + MARKER + " bad gateway, key " + key + "</html>")
          .header("content-type", "text/html");
      case "malformed" -> FakeResponse.json(200, "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"" + key
          + " " + echo);
      case "reset" -> FakeResponse.resetConnection();
      case "hang" -> FakeResponse.hang();
      case "streamerror" -> stream(provider, errorEvent(provider, echo), false);
      case "streammalformed" -> stream(provider, malformedEvent(provider, key), false);
      case "streamcut" -> stream(provider, null, true);
      case "idle" -> FakeResponse.sse(firstTokenEvents(provider)).holdAfter(1, new CompletableFuture<>());
      default -> FakeResponse.json(500, "{\"error\":{\"message\":\"no scenario " + scenario + "\"}}");
    };
  }

  /** The credential the gateway sent, however this provider type carries it. */
  private static String receivedKey(RecordedRequest r) {
    for (String h : List.of("authorization", "x-api-key", "api-key", "x-goog-api-key")) {
      String v = r.header(h);
      if (v != null) {
        return v.startsWith("Bearer ") ? v.substring(7) : v;
      }
    }
    return "(none)";
  }

  private static String headersSeen(RecordedRequest r) {
    StringBuilder sb = new StringBuilder();
    r.headers().forEach(e -> sb.append(e.getKey()).append('=').append(e.getValue()).append("; "));
    return sb.toString();
  }

  /** An error in a shape every provider family reads: OpenAI's error.message, Anthropic's type, Google's status. */
  private static FakeResponse error(int status, String message) {
    String[] kind = switch (status) {
      case 400 -> new String[] {"invalid_request_error", "INVALID_ARGUMENT"};
      case 401 -> new String[] {"authentication_error", "UNAUTHENTICATED"};
      case 403 -> new String[] {"permission_error", "PERMISSION_DENIED"};
      case 404 -> new String[] {"not_found_error", "NOT_FOUND"};
      case 429 -> new String[] {"rate_limit_error", "RESOURCE_EXHAUSTED"};
      case 503 -> new String[] {"overloaded_error", "UNAVAILABLE"};
      default -> new String[] {"api_error", "INTERNAL"};
    };
    String body = "{\"type\":\"error\",\"error\":{\"type\":\"" + kind[0] + "\",\"code\":" + status + ",\"status\":\""
        + kind[1] + "\",\"message\":" + Json.MAPPER.valueToTree(message) + "}}";
    FakeResponse res = FakeResponse.json(status, body)
        .header("www-authenticate", "Bearer error=\"invalid_token\", " + message.replaceAll("[\\r\\n]", " "))
        .header("x-echo", message.replaceAll("[\\r\\n]", " "));
    return status == 429 || status == 503 ? res.header("retry-after", "1") : res;
  }

  private static String family(String provider) {
    return provider.equals("anthropic") || provider.equals("gemini") ? provider : "openai";
  }

  private static List<String> firstTokenEvents(String provider) {
    return switch (family(provider)) {
      case "anthropic" -> List.of(
          "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
              + "\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,"
              + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}",
          "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
              + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}");
      case "gemini" -> List.of("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],"
          + "\"role\":\"model\"},\"index\":0}]}");
      default -> List.of("data: " + OpenAiFixtures.chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
    };
  }

  private static String errorEvent(String provider, String message) {
    String m = Json.MAPPER.valueToTree(message).toString();
    return switch (family(provider)) {
      case "anthropic" -> "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":"
          + m + "}}";
      case "gemini" -> "data: {\"error\":{\"code\":500,\"message\":" + m + ",\"status\":\"INTERNAL\"}}";
      default -> "data: {\"error\":{\"message\":" + m + ",\"type\":\"server_error\"}}";
    };
  }

  private static String malformedEvent(String provider, String key) {
    return switch (family(provider)) {
      case "anthropic" -> "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\": " + key;
      default -> "data: {\"choices\":[{\"delta\":{\"content\":" + key + "}";
    };
  }

  /** The first token, then {@code last} (or, with {@code cut}, the connection closed). */
  private static FakeResponse stream(String provider, String last, boolean cut) {
    List<String> events = new ArrayList<>(firstTokenEvents(provider));
    if (cut) {
      return FakeResponse.sse(events).cutAfter(events.size());
    }
    events.add(last);
    return FakeResponse.sse(events);
  }
}
