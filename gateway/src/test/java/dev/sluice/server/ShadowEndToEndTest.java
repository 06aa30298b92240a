package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.LedgerRow;
import dev.sluice.store.RowKind;
import dev.sluice.store.ShadowPairRow;
import dev.sluice.store.SpendQuery;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Load;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Shadow traffic through the real server: the copy never changes the client's answer or its
 * timing, its caps hold under load, and what it costs is charged to the shadow account only.
 */
public class ShadowEndToEndTest {
  @RegisterExtension
  final FakeUpstream primary = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream shadow = new FakeUpstream();

  static final String REQUEST = "{\"model\":\"chat\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String STREAM_REQUEST = "{\"model\":\"chat\",\"max_tokens\":100,\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String OTHER_COMPLETION = OpenAiFixtures.COMPLETION.replace("Hello! How can I help?", "Hi there.");

  /**
   * Model {@code chat} on {@code up} (1 µUSD per input token, 2 per output token); model {@code candidate}
   * on {@code cand} at $10,000 per million output tokens (a 100-token reply's worst case is $1).
   */
  public static String config(String primaryUrl, String shadowUrl, String shadowYaml) {
    return """
        server: { host: 127.0.0.1, master_key: sk-master-key-0123456789 }
        providers:
          - { name: up, type: openai-compatible, base_url: %s, api_key: sk-provider-secret-0123456789 }
          - { name: cand, type: openai-compatible, base_url: %s, api_key: sk-provider-secret-9876543210 }
        models:
          - name: chat
            targets: [ { provider: up, model: upstream-model, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
        %s
          - name: candidate
            targets: [ { provider: cand, model: cand-model, price: { input_per_mtok: "0", output_per_mtok: "10000" } } ]
        teams: [ { name: search, budget: { usd: 100, period: daily } } ]
        keys:
          - { key: %s, name: tester, team: search, budget: { usd: 100, period: daily } }
          - { key: sk-another-client-key-456, name: shadow }
        """.formatted(primaryUrl, shadowUrl, shadowYaml.isEmpty() ? "" : ("shadow: " + shadowYaml).indent(4).stripTrailing(),
        TestGateway.KEY);
  }

  private String config(String shadowYaml) {
    return config(primary.baseUrl(), shadow.baseUrl(), shadowYaml);
  }

  static List<ShadowPairRow> pairs(TestGateway gw) {
    return Await.await(gw.gateway().store().shadowPairs().between(null, Instant.EPOCH, Instant.now().plusSeconds(60)));
  }

  /** Waits (polling, up to 20 s) until {@code condition} holds. */
  static void until(BooleanSupplier condition, String what) {
    Await.until(what, condition, Duration.ofSeconds(20));
  }

  private static long metric(TestGateway gw, String name, String reasonOrOutcome) throws Exception {
    String body = gw.get("/metrics").body();
    Matcher m = Pattern.compile(name + "\\{[^}]*(?:reason|outcome)=\"" + reasonOrOutcome + "\"[^}]*\\} ([0-9.]+)")
        .matcher(body);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  private static long metricOrZero(TestGateway gw, String name, String reason) {
    try {
      return metric(gw, name, reason);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String baseline(boolean stream) throws Exception {
    try (TestGateway gw = TestGateway.start(config(""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", stream ? STREAM_REQUEST : REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      return res.body();
    }
  }

  private void primaryAnswers(boolean stream) {
    primary.dispatch(r -> stream ? FakeResponse.openAiStream(OpenAiFixtures.helloStream())
        : FakeResponse.json(200, OpenAiFixtures.COMPLETION));
  }

  private static List<String> otherStream() {
    return List.of(OpenAiFixtures.chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
        OpenAiFixtures.chunk("{\"content\":\"Hi there.\"}", null), OpenAiFixtures.chunk("{}", "stop"),
        OpenAiFixtures.USAGE_CHUNK);
  }

  @ParameterizedTest(name = "stream={0} parallel={1}")
  @CsvSource({"false,false", "false,true", "true,false", "true,true"})
  void aHeldShadowNeitherDelaysNorChangesTheClientsAnswer(boolean stream, boolean parallel) throws Exception {
    primaryAnswers(stream);
    String expected = baseline(stream);
    CompletableFuture<Void> release = new CompletableFuture<>();
    shadow.dispatch(r -> stream ? FakeResponse.openAiStream(otherStream()).holdAfter(0, release)
        : FakeResponse.json(200, OTHER_COMPLETION).holdUntil(release));
    try (TestGateway gw = TestGateway.start(config("[ { model: candidate, sample: 1, parallel: " + parallel + " } ]"))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", stream ? STREAM_REQUEST : REQUEST);
      RecordedRequest copy = shadow.takeRequest();
      // The client's whole answer is in while the candidate still holds its own: nothing waited for it.
      assertThat(release).isNotDone();
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).as("the same bytes as without a shadow").isEqualTo(expected);
      assertThat(res.headers().firstValue("x-sluice-attempts").orElseThrow()).doesNotContain("cand");
      assertThat(copy.json().path("model").asText()).isEqualTo("cand-model");
      assertThat(copy.json().path("stream").asBoolean()).isEqualTo(stream);
      assertThat(copy.header("authorization")).isEqualTo("Bearer sk-provider-secret-9876543210");
      assertThat(pairs(gw)).as("the pair is not complete while the shadow is held").isEmpty();

      release.complete(null);
      until(() -> pairs(gw).size() == 1, "the pair is recorded");
      ShadowPairRow pair = pairs(gw).get(0);
      assertThat(pair.modelEntry()).isEqualTo("chat");
      assertThat(pair.candidate()).isEqualTo("candidate");
      assertThat(pair.stream()).isEqualTo(stream);
      assertThat(pair.primary().target()).isEqualTo("up/upstream-model");
      assertThat(pair.shadow().target()).isEqualTo("cand/cand-model");
      assertThat(pair.primary().error()).isNull();
      assertThat(pair.shadow().error()).isNull();
      assertThat(pair.shadow().finishReason()).isEqualTo("stop");
      assertThat(pair.shadow().ttftMs()).isNotNull();
      assertThat(pair.shadow().outputChars()).isEqualTo("Hi there.".length());
      assertThat(pair.primary().outputChars()).isEqualTo(stream ? "Hello!".length() : "Hello! How can I help?".length());
      assertThat(pair.exact()).isFalse();
      assertThat(pair.shadow().costMicros()).as("output tokens × $10,000 per million").isEqualTo(
          pair.shadow().outputTokens() * 10_000);
    }
  }

  @Test
  void aFailingShadowLeavesTheClientsAnswerUnchanged() throws Exception {
    primaryAnswers(false);
    String expected = baseline(false);
    shadow.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"candidate broke\"}}"))
        .enqueue(FakeResponse.resetConnection());
    try (TestGateway gw = TestGateway.start(config("[ { model: candidate, sample: 1 } ]"))) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(expected);
        int n = i + 1;
        // requestCount is cumulative (clearReceived only empties the received list)
        until(() -> shadow.requestCount() == n, "the shadow call is made");
        until(() -> pairs(gw).size() == n, "the failed pair is recorded");
        shadow.clearReceived();
        if (i == 0) {
          shadow.dispatch(r -> FakeResponse.resetConnection());
        }
      }
      List<ShadowPairRow> pairs = pairs(gw);
      assertThat(pairs).allSatisfy(p -> {
        assertThat(p.primary().error()).isNull();
        assertThat(p.shadow().error()).isNotNull();
        assertThat(p.exact()).as("nothing is compared with a failed side").isNull();
      });
      assertThat(pairs).extracting(p -> p.shadow().error()).contains("server_error");
      assertThat(metric(gw, "sluice_shadow_calls_total", "server_error")).isEqualTo(1);
    }
  }

  @Test
  void theConcurrencyCapHoldsUnder200ParallelRequests() throws Exception {
    primaryAnswers(false);
    CompletableFuture<Void> release = new CompletableFuture<>();
    shadow.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION).holdUntil(release));
    try (TestGateway gw = TestGateway.start(config(
        "[ { model: candidate, sample: 1, parallel: true, max_concurrency: 3 } ]"))) {
      Load.Result r = Load.run(gw, "/v1/chat/completions", REQUEST, 200, 200);
      assertThat(r.ok()).isEqualTo(200);
      until(() -> shadow.requestCount() == 3, "the three admitted copies reach the candidate");
      until(() -> metricOrZero(gw, "sluice_shadow_dropped_total", "concurrency") == 197, "197 copies dropped");
      assertThat(shadow.maxInFlight()).isLessThanOrEqualTo(3);

      release.complete(null);
      until(() -> pairs(gw).size() == 3, "the three pairs are recorded");
      // The slots are free again: the next request is copied.
      assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200);
      until(() -> pairs(gw).size() == 4, "a copy after the release");
      assertThat(shadow.requestCount()).isEqualTo(4);
    }
  }

  @Test
  void theSpendCapHoldsUnder200ParallelRequests() throws Exception {
    primaryAnswers(false);
    CompletableFuture<Void> release = new CompletableFuture<>();
    shadow.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION).holdUntil(release));
    try (TestGateway gw = TestGateway.start(config(
        "[ { model: candidate, sample: 1, parallel: true, max_concurrency: 1000, max_usd_per_day: 5 } ]"))) {
      Load.Result r = Load.run(gw, "/v1/chat/completions", REQUEST, 200, 200);
      assertThat(r.ok()).isEqualTo(200);
      // Each copy reserves its worst case, 100 tokens at $10,000 per million = $1: five fit in $5.
      until(() -> shadow.requestCount() == 5, "five copies reach the candidate");
      until(() -> metricOrZero(gw, "sluice_shadow_dropped_total", "spend_cap") == 195, "195 copies dropped");

      release.complete(null);
      until(() -> pairs(gw).size() == 5, "the five pairs are recorded");
      Await.await(gw.gateway().ledger().flush());
      List<LedgerRow> rows = Await.await(gw.gateway().store().ledger().rowsSince(Instant.EPOCH));
      long shadowSpend = rows.stream().filter(x -> x.kind() == RowKind.SHADOW).mapToLong(LedgerRow::costMicros).sum();
      assertThat(shadowSpend).as("10 output tokens each, settled at what they cost").isEqualTo(5 * 100_000);
      assertThat(shadow.requestCount()).isEqualTo(5);
    }
  }

  @Test
  void theSpendCapIsSharedByReplicasThroughRedis() throws Exception {
    primaryAnswers(false);
    CompletableFuture<Void> release = new CompletableFuture<>();
    shadow.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION).holdUntil(release));
    try (dev.sluice.testing.RedisTestServer redis = dev.sluice.testing.RedisTestServer.startOnFreePort()) {
      String cfg = config("[ { model: candidate, sample: 1, parallel: true, max_concurrency: 1000, max_usd_per_day: 5 } ]")
          + "redis: { url: " + redis.uri() + " }\n";
      try (TestGateway a = TestGateway.start(cfg); TestGateway b = TestGateway.start(cfg)) {
        assertThat(Load.run(a, "/v1/chat/completions", REQUEST, 100, 100).ok()).isEqualTo(100);
        until(() -> shadow.requestCount() == 5, "replica a's five copies reach the candidate");
        assertThat(Load.run(b, "/v1/chat/completions", REQUEST, 100, 100).ok()).isEqualTo(100);
        // A drop is counted once Redis answered the reservation, which may be after the client's answer.
        until(() -> metricOrZero(b, "sluice_shadow_dropped_total", "spend_cap") == 100,
            "replica b finds the day's cap taken by a's reservations: all 100 copies dropped");
        assertThat(shadow.requestCount()).isEqualTo(5);
        release.complete(null);
        until(() -> pairs(a).size() == 5, "a's pairs are recorded");
        assertThat(pairs(b)).isEmpty();
      }
    }
  }

  @Test
  void shadowCallsAreChargedToTheShadowAccountNeverToTheKeyOrTeam() throws Exception {
    primaryAnswers(false);
    shadow.dispatch(r -> FakeResponse.json(200, OTHER_COMPLETION));
    try (TestGateway gw = TestGateway.start(config("[ { model: candidate, sample: 1 } ]"))) {
      for (int i = 0; i < 3; i++) {
        assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200);
      }
      until(() -> pairs(gw).size() == 3, "three pairs");
      Await.await(gw.gateway().ledger().flush());
      List<LedgerRow> rows = Await.await(gw.gateway().store().ledger().rowsSince(Instant.EPOCH));
      List<LedgerRow> calls = rows.stream().filter(x -> x.kind() == RowKind.CALL).toList();
      List<LedgerRow> shadows = rows.stream().filter(x -> x.kind() == RowKind.SHADOW).toList();
      assertThat(calls).hasSize(3).allSatisfy(x -> {
        assertThat(x.keyName()).isEqualTo("tester");
        assertThat(x.team()).isEqualTo("search");
      });
      assertThat(shadows).hasSize(3).allSatisfy(x -> {
        assertThat(x.keyName()).isEqualTo("shadow");
        assertThat(x.keyId()).isNull();
        assertThat(x.team()).isNull();
        assertThat(x.modelEntry()).isEqualTo("chat");
        assertThat(x.targetModel()).isEqualTo("cand-model");
        assertThat(x.costMicros()).isEqualTo(100_000);
        assertThat(x.requestId()).doesNotStartWith(calls.get(0).requestId());
      });
      long clientSpend = calls.stream().mapToLong(LedgerRow::costMicros).sum();
      Instant from = Instant.EPOCH;
      var ledger = gw.gateway().store().ledger();
      assertThat(Await.await(ledger.spentMicros("key", "tester", from))).isEqualTo(clientSpend);
      assertThat(Await.await(ledger.spentMicros("team", "search", from))).isEqualTo(clientSpend);
      assertThat(Await.await(ledger.spentMicrosByName("key", from))).containsEntry("tester", clientSpend)
          .doesNotContainKey("shadow");
      assertThat(Await.await(ledger.spentMicrosByName("team", from))).containsEntry("search", clientSpend);
      assertThat(Await.await(ledger.spentMicros("key", "shadow", from)))
          .as("a client key named shadow is not charged for shadow calls either").isZero();
      assertThat(Await.await(ledger.spend(SpendQuery.of(SpendQuery.GroupBy.KEY, from, null).forKey("tester"))))
          .singleElement().satisfies(s -> assertThat(s.costMicros()).isEqualTo(clientSpend));
      assertThat(Await.await(ledger.spend(SpendQuery.of(SpendQuery.GroupBy.KEY, from, null))))
          .as("by key: the clients' keys only").extracting(s -> s.group()).containsExactly("tester");
      assertThat(Await.await(ledger.spend(SpendQuery.of(SpendQuery.GroupBy.MODEL, from, null))))
          .as("by model: shadow calls cost money too").singleElement()
          .satisfies(s -> assertThat(s.costMicros()).isEqualTo(clientSpend + 3 * 100_000));
      // The key's budget counter never saw them: its spend header is the client's calls only.
      HttpResponse<String> next = gw.post("/v1/chat/completions", REQUEST);
      assertThat(next.headers().firstValue("x-sluice-key-spend").orElseThrow())
          .isEqualTo(dev.sluice.cost.Micros.of(clientSpend).toUsdString());
    }
  }
}
