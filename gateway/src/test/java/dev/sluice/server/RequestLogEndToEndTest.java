package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request log through the real gateway: one summary per request linked to its ledger
 * attempts, the admin and client-key routes with their filters and cursors, tenant isolation, and
 * bodies (off by default; redacted before anything is stored; cut to max_bytes).
 */
class RequestLogEndToEndTest {
  private static final String ALICE = "sk-alice-key-0123456789";
  private static final String BOB = "sk-bob-key-0123456789";
  private static final String CAROL = "sk-carol-key-0123456789";
  private static final String DAVE = "sk-dave-key-0123456789";
  private static final String SECRET = "sk-LIVEabcdefghijklmnopqrstuvwxyz0123";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  /** Models main (a, then fallback cheap on b) and cheap; keys app (team search), alice, bob, carol, dave. */
  private String config() {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
        models:
          - name: main
            targets: [ { provider: a, model: big, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
            fallbacks: [cheap]
          - name: cheap
            targets: [ { provider: b, model: small, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
        teams:
          - { name: vault, log_bodies: { enabled: true, max_bytes: 4096 } }
        keys:
          - { key: %s, name: app, team: search }
          - { key: %s, name: alice, log_bodies: { redact: ["sk-[A-Za-z0-9]{20,}"], max_bytes: 300 } }
          - { key: %s, name: bob }
          - { key: %s, name: carol, team: vault, log_bodies: { enabled: false } }
          - { key: %s, name: dave, team: vault }
        """.formatted(KeysApi.MASTER, base, base, TestGateway.KEY, ALICE, BOB, CAROL, DAVE);
  }

  private static String chat(String model, String content, boolean stream) {
    return "{\"model\":\"" + model + "\"," + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":" + Json.MAPPER.valueToTree(content) + "}]}";
  }

  private static HttpResponse<String> post(TestGateway gw, String key, String requestId, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
        .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      b.header("x-request-id", requestId);
    }
    return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> res) throws Exception {
    return Json.MAPPER.readTree(res.body());
  }

  /**
   * The admin view of one request, once the writer has stored it: the summary is offered as the
   * request ends, which can be just after the client has its answer, so this waits for it (bounded).
   */
  private static JsonNode awaitRequest(TestGateway gw, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      gw.gateway().ledger().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpResponse<String> res = KeysApi.admin(gw, "GET", "/admin/requests/" + id, null);
      if (res.statusCode() == 200) {
        return json(res);
      }
      assertThat(res.statusCode()).as(res.body()).isEqualTo(404);
      assertThat(System.nanoTime() - deadline).as("request %s never reached the log", id).isNegative();
      Thread.sleep(10);
    }
  }

  @Test
  void eachRequestIsOneSummaryLinkedToItsAttemptsWithTheirTimeline() throws Exception {
    AtomicInteger aCalls = new AtomicInteger();
    upstream.dispatch(r -> {
      if (r.uri().startsWith("/a/")) {
        // a retryable 500, then an overload that fails over to the fallback model on b
        return aCalls.incrementAndGet() == 1 ? FakeResponse.json(500, "{\"error\":{\"message\":\"boom\"}}")
            : FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}");
      }
      return FakeResponse.json(200, COMPLETION);
    });
    try (TestGateway gw = TestGateway.start(config())) {
      assertThat(post(gw, TestGateway.KEY, "rl-fallback", chat("main", "Hi", false)).statusCode()).isEqualTo(200);
      assertThat(post(gw, TestGateway.KEY, "rl-missing", chat("nope", "Hi", false)).statusCode()).isEqualTo(404);

      JsonNode d = awaitRequest(gw, "rl-fallback");
      assertThat(d.path("key").asText()).isEqualTo("app");
      assertThat(d.path("team").asText()).isEqualTo("search");
      assertThat(d.path("model").asText()).isEqualTo("main");
      assertThat(d.path("endpoint").asText()).isEqualTo("chat");
      assertThat(d.path("served_by").path("provider").asText()).isEqualTo("b");
      assertThat(d.path("served_by").path("model").asText()).isEqualTo("small");
      assertThat(d.path("status").asInt()).isEqualTo(200);
      assertThat(d.path("error_class").isNull()).isTrue();
      assertThat(d.path("attempts").asInt()).isEqualTo(3);
      assertThat(d.path("cost_usd").asText()).isEqualTo("0.000039"); // as x-sluice-cost-usd: 19 in + 10 out × 2
      assertThat(d.path("tokens").path("output").asLong()).isEqualTo(10);
      assertThat(d.path("latency_ms").asDouble()).isPositive();
      assertThat(d.path("overhead_ms").asDouble()).isBetween(0.0, d.path("latency_ms").asDouble());
      assertThat(d.path("bodies").isNull()).as("bodies are not kept by default").isTrue();

      JsonNode timeline = d.path("timeline");
      assertThat(timeline.path("queue_wait_ms").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(timeline.path("winner").asInt()).isEqualTo(3);
      List<JsonNode> attempts = new ArrayList<>();
      timeline.path("attempts").forEach(attempts::add);
      assertThat(attempts).extracting(a -> a.path("outcome").asText()).containsExactly("error", "error", "ok");
      assertThat(attempts).extracting(a -> a.path("provider").asText()).containsExactly("a", "a", "b");
      assertThat(attempts).extracting(a -> a.path("won").asBoolean()).containsExactly(false, false, true);
      assertThat(attempts).extracting(a -> a.path("retry").asBoolean()).containsExactly(false, true, false);
      assertThat(attempts).extracting(a -> a.path("fallback").asBoolean()).containsExactly(false, false, true);
      assertThat(attempts).extracting(a -> a.path("kind").asText()).containsExactly("first", "retry", "fallback");
      assertThat(attempts).extracting(a -> a.path("status").asInt()).containsExactly(500, 503, 200);
      assertThat(attempts).extracting(a -> a.path("cost_usd").asText())
          .containsExactly("0.000000", "0.000000", "0.000039");
      long previous = -1;
      for (JsonNode a : attempts) {
        long start = a.path("start_ms").asLong(-1);
        assertThat(start).as("each attempt starts after the request and the one before").isGreaterThanOrEqualTo(
            Math.max(0, previous));
        assertThat(a.path("end_ms").asLong()).isGreaterThanOrEqualTo(start);
        previous = start;
      }

      JsonNode missing = awaitRequest(gw, "rl-missing");
      assertThat(missing.path("status").asInt()).isEqualTo(404);
      assertThat(missing.path("error_class").asText()).isEqualTo("model_not_found");
      assertThat(missing.path("attempts").asInt()).isZero();
      assertThat(missing.path("served_by").isNull()).isTrue();
      assertThat(missing.path("timeline").path("attempts")).isEmpty();
      assertThat(missing.path("timeline").path("winner").isNull()).isTrue();

      // the filters reach the store: by status class, error class, model, key and team
      assertThat(ids(gw, "/admin/requests?status=4xx")).containsExactly("rl-missing");
      assertThat(ids(gw, "/admin/requests?error_class=model_not_found")).containsExactly("rl-missing");
      assertThat(ids(gw, "/admin/requests?model=main&status=200")).containsExactly("rl-fallback");
      assertThat(ids(gw, "/admin/requests?key=app&team=search&model=main")).containsExactly("rl-fallback");
      assertThat(ids(gw, "/admin/requests?team=nobody")).isEmpty();
      assertThat(ids(gw, "/admin/requests?min_latency_ms=600000")).isEmpty();
      assertThat(ids(gw, "/admin/requests?from=2000-01-01&to=2001-01-01")).isEmpty();

      // every attempt failed: the summary names the target tried last and the error the client got
      upstream.dispatch(r -> FakeResponse.json(500, "{\"error\":{\"message\":\"down\"}}"));
      HttpResponse<String> failed = post(gw, TestGateway.KEY, "rl-failed", chat("cheap", "Hi", false));
      JsonNode f = awaitRequest(gw, "rl-failed");
      assertThat(f.path("status").asInt()).isEqualTo(failed.statusCode()).isGreaterThanOrEqualTo(500);
      assertThat(f.path("error_class").asText()).isEqualTo(json(failed).path("error").path("code").asText());
      assertThat(f.path("served_by").path("provider").asText()).isEqualTo("b");
      assertThat(f.path("timeline").path("winner").isNull()).isTrue();
      assertThat(f.path("timeline").path("attempts")).allSatisfy(a -> assertThat(a.path("won").asBoolean()).isFalse());

      HttpResponse<String> unknown = KeysApi.admin(gw, "GET", "/admin/requests/never-was", null);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(json(unknown).path("error").path("code").asText()).isEqualTo("not_found");
    }
  }

  @Test
  void cursorPagesThroughHttpAreNewestFirstWithoutGapsOrDuplicates() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      for (int i = 0; i < 7; i++) {
        assertThat(post(gw, BOB, "page-" + i, chat("cheap", "Hi " + i, false)).statusCode()).isEqualTo(200);
      }
      awaitRequest(gw, "page-6");
      for (int i = 0; i < 7; i++) {
        awaitRequest(gw, "page-" + i);
      }
      List<String> all = ids(gw, "/admin/requests?key=bob&limit=500");
      assertThat(all).hasSize(7).doesNotHaveDuplicates();
      assertThat(all.get(0)).as("newest first").isEqualTo("page-6");
      assertThat(all.get(6)).isEqualTo("page-0");

      for (String base : new String[] {"/admin/requests?key=bob&limit=3", "/v1/sluice/requests?model=cheap&limit=2"}) {
        boolean admin = base.startsWith("/admin");
        List<String> paged = new ArrayList<>();
        String url = base;
        int pages = 0;
        while (url != null) {
          HttpResponse<String> res = KeysApi.call(gw, "GET", url, admin ? KeysApi.MASTER : BOB, null);
          assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
          JsonNode page = json(res);
          page.path("data").forEach(r -> paged.add(r.path("id").asText()));
          pages++;
          String next = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
          assertThat(page.path("has_more").asBoolean()).isEqualTo(next != null);
          url = next == null ? null : base + "&cursor=" + next;
        }
        assertThat(paged).as(base).containsExactlyElementsOf(all);
        assertThat(pages).isEqualTo(admin ? 3 : 4);
      }
    }
  }

  @ParameterizedTest(name = "{0} → 400 naming {1}")
  @CsvSource(delimiter = '|', value = {
      "/admin/requests?limit=0                   | limit",
      "/admin/requests?limit=501                 | limit",
      "/admin/requests?limit=ten                 | limit",
      "/admin/requests?status=abc                | status",
      "/admin/requests?status=600                | status",
      "/admin/requests?min_latency_ms=-1         | min_latency_ms",
      "/admin/requests?from=yesterday            | from",
      "/admin/requests?from=2026-02-01&to=2026-01-01 | to",
      "/admin/requests?cursor=not-a-cursor       | cursor",
      "/admin/requests?colour=red                | colour",
      "/admin/requests?model=a&model=b           | model",
      "/v1/sluice/requests?key=bob               | key",
      "/v1/sluice/requests?team=vault            | team",
      "/v1/sluice/requests?limit=501             | limit",
  })
  void badParametersAre400sInTheApisErrorFormat(String path, String param) throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> res = KeysApi.call(gw, "GET", path, path.startsWith("/admin") ? KeysApi.MASTER : ALICE, null);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
      JsonNode error = json(res).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("code").asText()).isEqualTo("invalid_request");
      assertThat(error.path("param").asText()).isEqualTo(param);
      assertThat(error.path("message").asText()).isNotBlank();
    }
  }

  @Test
  void aKeySeesOnlyItsOwnRequestsAndNeverLearnsThatAnotherKeysIdExists() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      assertThat(post(gw, ALICE, "alice-1", chat("cheap", "Hi", false)).statusCode()).isEqualTo(200);
      assertThat(post(gw, BOB, "bob-1", chat("cheap", "Hi", false)).statusCode()).isEqualTo(200);
      assertThat(post(gw, BOB, "bob-2", chat("nope", "Hi", false)).statusCode()).isEqualTo(404);
      for (String id : new String[] {"alice-1", "bob-1", "bob-2"}) {
        awaitRequest(gw, id);
      }

      HttpResponse<String> mine = KeysApi.call(gw, "GET", "/v1/sluice/requests?model=cheap", ALICE, null);
      assertThat(mine.statusCode()).isEqualTo(200);
      List<String> aliceSees = new ArrayList<>();
      json(mine).path("data").forEach(r -> {
        aliceSees.add(r.path("id").asText());
        assertThat(r.path("key").asText()).isEqualTo("alice");
      });
      assertThat(aliceSees).containsExactly("alice-1");
      assertThat(ids(gw, "/v1/sluice/requests?limit=500", BOB)).contains("bob-1", "bob-2").doesNotContain("alice-1");

      JsonNode own = json(KeysApi.call(gw, "GET", "/v1/sluice/requests/alice-1", ALICE, null));
      assertThat(own.path("id").asText()).isEqualTo("alice-1");
      assertThat(own.path("timeline").path("attempts")).hasSize(1);

      // Bob's id and an id that never existed get the same answer, but for the id itself.
      HttpResponse<String> other = KeysApi.call(gw, "GET", "/v1/sluice/requests/bob-1", ALICE, null);
      HttpResponse<String> none = KeysApi.call(gw, "GET", "/v1/sluice/requests/zzz-1", ALICE, null);
      assertThat(other.statusCode()).isEqualTo(404);
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(other.body().replace("bob-1", "ID")).isEqualTo(none.body().replace("zzz-1", "ID"));
      // a cursor is only a position: it cannot widen the key's view
      String forged = new dev.sluice.store.requestlog.RequestQuery.Position(Long.MAX_VALUE, "~").cursor();
      assertThat(ids(gw, "/v1/sluice/requests?model=cheap&cursor=" + forged, ALICE)).containsExactly("alice-1");
      // without a key there is nothing to see
      assertThat(KeysApi.call(gw, "GET", "/v1/sluice/requests", null, null).statusCode()).isEqualTo(401);

      // The reads above are not requests of the log: a later request is, and is the only new one.
      assertThat(post(gw, BOB, "bob-3", chat("cheap", "Hi", false)).statusCode()).isEqualTo(200);
      awaitRequest(gw, "bob-3");
      assertThat(ids(gw, "/v1/sluice/requests?limit=500", BOB)).containsExactlyInAnyOrder("bob-1", "bob-2", "bob-3");
      assertThat(ids(gw, "/v1/sluice/requests?limit=500", ALICE)).containsExactly("alice-1");
    }
  }

  @Test
  void bodiesAreKeptOnlyWhenAskedRedactedBeforeStorageAndCutToMaxBytes() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      // alice: redact sk-…, 300 bytes; a long prompt with the secret early and late (past the cut)
      String prompt = "my key is " + SECRET + " " + "é".repeat(400) + " again " + SECRET;
      assertThat(post(gw, ALICE, "body-alice", chat("cheap", prompt, false)).statusCode()).isEqualTo(200);
      assertThat(post(gw, BOB, "body-bob", chat("cheap", "bob says " + SECRET, false)).statusCode()).isEqualTo(200);
      assertThat(post(gw, CAROL, "body-carol", chat("cheap", "carol says hi", false)).statusCode()).isEqualTo(200);
      HttpResponse<String> daveAnswer = post(gw, DAVE, "body-dave", chat("cheap", "dave says hi", false));
      assertThat(daveAnswer.statusCode()).isEqualTo(200);

      JsonNode alice = awaitRequest(gw, "body-alice").path("bodies");
      String request = alice.path("request").asText();
      assertThat(request).startsWith("{\"model\":\"cheap\"").contains("my key is " + "[REDACTED]")
          .doesNotContain("sk-LIVE");
      assertThat(request.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(300);
      assertThat(alice.path("request_truncated").asBoolean()).isTrue();
      assertThat(alice.path("response").asText()).contains("Hello! How can I help?");
      assertThat(alice.path("response_truncated").asBoolean()).isTrue(); // the answer is over 300 bytes too

      assertThat(awaitRequest(gw, "body-bob").path("bodies").isNull()).as("no log_bodies: nothing kept").isTrue();
      assertThat(awaitRequest(gw, "body-carol").path("bodies").isNull()).as("the key's 'off' beats its team").isTrue();
      JsonNode dave = awaitRequest(gw, "body-dave").path("bodies");
      assertThat(dave.path("request").asText()).contains("dave says hi");
      assertThat(dave.path("request_truncated").asBoolean()).isFalse();
      assertThat(dave.path("response").asText()).as("the team's policy: the answer as sent")
          .isEqualTo(daveAnswer.body());

      // Nothing on disk holds the secret: not the database, its WAL, nor the writer's journal.
      gw.gateway().ledger().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Path dir = Path.of(gw.gateway().config().storeUrl().substring("sqlite:".length())).getParent();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      assertThat(files).isNotEmpty();
      byte[] needle = "LIVEabcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
      for (Path f : files) {
        assertThat(indexOf(Files.readAllBytes(f), needle)).as("secret in %s", f).isNegative();
      }
    }
  }

  @Test
  void aStreamedAnswerIsKeptAsTheSseTextTheClientGotUpToMaxBytes() throws Exception {
    upstream.dispatch(r -> FakeResponse.openAiStream(OpenAiFixtures.helloStream()));
    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> res = post(gw, DAVE, "stream-dave", chat("cheap", "Hi", true));
      assertThat(res.statusCode()).isEqualTo(200);
      JsonNode d = awaitRequest(gw, "stream-dave");
      assertThat(d.path("stream").asBoolean()).isTrue();
      assertThat(d.path("ttft_ms").isNull()).isFalse();
      JsonNode bodies = d.path("bodies");
      assertThat(bodies.path("response").asText()).isEqualTo(res.body()); // whole: well under dave's 4096 bytes
      assertThat(bodies.path("response_truncated").asBoolean()).isFalse();

      HttpResponse<String> cut = post(gw, ALICE, "stream-alice", chat("cheap", "Hi", true));
      JsonNode alice = awaitRequest(gw, "stream-alice").path("bodies");
      String kept = alice.path("response").asText();
      assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(300);
      assertThat(cut.body()).startsWith(kept);
      assertThat(kept).startsWith("data: ");
      assertThat(alice.path("response_truncated").asBoolean()).isTrue();
    }
  }

  private static List<String> ids(TestGateway gw, String path) throws Exception {
    return ids(gw, path, KeysApi.MASTER);
  }

  private static List<String> ids(TestGateway gw, String path, String key) throws Exception {
    HttpResponse<String> res = KeysApi.call(gw, "GET", path, key, null);
    assertThat(res.statusCode()).as(path + " → " + res.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    json(res).path("data").forEach(r -> out.add(r.path("id").asText()));
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
