package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Load;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RawHttpClient;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every attempt is in the ledger, priced exactly; budgets hold under concurrency. */
class LedgerEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static final String REQUEST = "{\"model\":\"main\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  /** Two targets priced at 1 µUSD per input token and 2 µUSD per output token (cached at input price). */
  private String config(String keyExtra, String modelExtra) {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
        models:
          - name: main
            targets: [ { provider: a, model: big, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
            fallbacks: [cheap]
        %s
          - name: cheap
            targets: [ { provider: b, model: small, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
        keys: [ { key: %s, name: app, team: search %s } ]
        """.formatted(base, base, modelExtra.indent(4).stripTrailing(), TestGateway.KEY, keyExtra);
  }

  private static List<LedgerRow> rows(TestGateway gw) throws Exception {
    gw.gateway().ledger().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return gw.gateway().store().ledger().rowsSince(Instant.EPOCH).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static long priced(LedgerRow r) {
    return r.inputTokens() * 1 + r.outputTokens() * 2; // cached reads at the input price, reasoning at output
  }

  @Test
  void everyAttemptIsALedgerRowAndTheCostsAreTokensTimesPricesExactly() throws Exception {
    AtomicInteger aCalls = new AtomicInteger();
    upstream.dispatch(r -> {
      if (r.uri().startsWith("/a/")) {
        // first a retryable 500, then an overload that fails over to the fallback model
        return aCalls.incrementAndGet() == 1 ? FakeResponse.json(500, "{\"error\":{\"message\":\"boom\"}}")
            : FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}");
      }
      return FakeResponse.json(200, COMPLETION);
    });
    try (TestGateway gw = TestGateway.start(config("", ""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("x-sluice-cost-usd")).hasValue("0.000039"); // 19 in + 10 out × 2

      // A streamed answer whose client hangs up: drained to its final usage, billed exactly.
      upstream.dispatch(r -> FakeResponse.openAiStream(OpenAiFixtures.helloStream()).eventInterval(30));
      try (RawHttpClient client = new RawHttpClient(gw.gateway().port(), 0)) {
        client.post("/v1/chat/completions", TestGateway.KEY,
            "{\"model\":\"cheap\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        client.readUntil("\"Hel\"");
      }
      Thread.sleep(500);

      List<LedgerRow> rows = rows(gw);
      String first = rows.get(0).requestId();
      List<LedgerRow> firstRequest = rows.stream().filter(r -> r.requestId().equals(first)).toList();
      assertThat(firstRequest).extracting(LedgerRow::outcome).containsExactly(Outcome.ERROR, Outcome.ERROR, Outcome.OK);
      assertThat(firstRequest).extracting(LedgerRow::retry).containsExactly(false, true, false);
      assertThat(firstRequest).extracting(LedgerRow::fallback).containsExactly(false, false, true);
      assertThat(firstRequest.get(2).modelEntry()).isEqualTo("cheap");
      LedgerRow drained = rows.stream().filter(LedgerRow::stream).findFirst().orElseThrow();
      assertThat(drained.clientDisconnected()).isTrue();
      assertThat(drained.estimated()).as("drained to its usage chunk: not an estimate").isFalse();
      assertThat(drained.outputTokens()).isEqualTo(3);
      for (LedgerRow r : rows) {
        assertThat(r.priceKnown()).isTrue();
        assertThat(r.costMicros()).as("row %s", r.id()).isEqualTo(priced(r));
      }
      assertThat(rows.stream().mapToLong(LedgerRow::costMicros).sum())
          .isEqualTo(rows.stream().mapToLong(LedgerEndToEndTest::priced).sum());
    }
  }

  @Test
  void aOneDollarBudgetAdmitsAtMostADollarOfWorstCasesAmong200ParallelRequests() throws Exception {
    // Every answer uses its whole max_tokens, so a request's actual cost is its worst case: settling
    // frees nothing, and however slowly the 200 requests arrive, at most 20 of $0.05 fit in $1.
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION.replace("\"completion_tokens\":10", "\"completion_tokens\":1000")
        .replace("\"total_tokens\":29", "\"total_tokens\":1019")).latency(500));
    // Output at $50 per million tokens and max_tokens 1000: each request may cost up to $0.05.
    String cfg = config(", budget: { usd: 1, period: monthly, mode: hard }", "")
        .replace("price: { input_per_mtok: \"1\", output_per_mtok: \"2\" }",
            "price: { input_per_mtok: \"0\", output_per_mtok: \"50\" }");
    String body = "{\"model\":\"cheap\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    try (TestGateway gw = TestGateway.start(cfg)) {
      Load.Result r = Load.run(gw, "/v1/chat/completions", body, 200, 200);
      assertThat(r.ok()).as("admitted").isBetween(1, 20);
      assertThat(BigDecimal.valueOf(r.ok()).multiply(new BigDecimal("0.05"))).isLessThanOrEqualTo(BigDecimal.ONE);
      HttpResponse<String> refused = r.responses().stream().filter(x -> x.statusCode() == 429).findFirst().orElseThrow();
      assertThat(Sse.json(refused.body()).get("error").get("code").asText()).isEqualTo("budget_exceeded");
      assertThat(rows(gw).stream().mapToLong(LedgerRow::costMicros).sum()).isLessThanOrEqualTo(1_000_000);
    }
  }

  @Test
  void aSoftBudgetNeverRefusesAndAlertsItsWebhookOnceAThresholdIsCrossed() throws Exception {
    upstream.dispatch(r -> r.uri().startsWith("/hook") ? FakeResponse.json(200, "{}") : FakeResponse.json(200, COMPLETION));
    String hook = "http://127.0.0.1:" + upstream.port() + "/hook";
    // 39 µUSD per request against a $0.0001 budget: the 50% mark is passed by the second request.
    try (TestGateway gw = TestGateway.start(config(", budget: { usd: \"0.0001\", mode: soft, alert_webhook: \"" + hook
        + "\", alert_thresholds: [50%] }", ""))) {
      for (int i = 0; i < 4; i++) {
        assertThat(gw.post("/v1/chat/completions", REQUEST.replace("main", "cheap")).statusCode()).isEqualTo(200);
      }
      long deadline = System.currentTimeMillis() + 5000;
      List<dev.sluice.testing.RecordedRequest> hooks = List.of();
      while (hooks.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
        hooks = upstream.received().stream().filter(x -> x.uri().startsWith("/hook")).toList();
      }
      assertThat(hooks).hasSize(1);
      assertThat(hooks.get(0).json().get("threshold").asDouble()).isEqualTo(0.5);
      assertThat(hooks.get(0).json().get("scope").asText()).isEqualTo("key");
    }
  }

  @Test
  void parallelRequestsEachWriteTheirRowExactlyOnce() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("", ""))) {
      CompletableFuture<?>[] all = new CompletableFuture<?>[20];
      for (int i = 0; i < 20; i++) {
        all[i] = CompletableFuture.runAsync(() -> {
          try {
            gw.post("/v1/chat/completions", REQUEST.replace("main", "cheap"));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
      CompletableFuture.allOf(all).get(30, TimeUnit.SECONDS);
      List<LedgerRow> rows = rows(gw);
      assertThat(rows).hasSize(20);
      assertThat(rows.stream().map(LedgerRow::id).distinct().count()).isEqualTo(20);
    }
  }

  @Test
  void twoReplicasSharingRedisTogetherStayWithinAOneDollarBudget() throws Exception {
    // As above: each answer costs its worst case, so settling frees nothing and the bound holds however
    // slowly a loaded machine lets the 200 requests arrive.
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION.replace("\"completion_tokens\":10", "\"completion_tokens\":1000")
        .replace("\"total_tokens\":29", "\"total_tokens\":1019")).latency(500));
    try (dev.sluice.testing.RedisTestServer redis = dev.sluice.testing.RedisTestServer.startOnFreePort()) {
      String cfg = config(", budget: { usd: 1, period: monthly, mode: hard }", "")
          .replace("price: { input_per_mtok: \"1\", output_per_mtok: \"2\" }",
              "price: { input_per_mtok: \"0\", output_per_mtok: \"50\" }")
          + "redis: { url: " + redis.uri() + " }\n";
      String body = "{\"model\":\"cheap\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
      try (TestGateway a = TestGateway.start(cfg); TestGateway b = TestGateway.start(cfg)) {
        var ra = CompletableFuture.supplyAsync(() -> load(a, body));
        var rb = CompletableFuture.supplyAsync(() -> load(b, body));
        int admitted = ra.get(60, TimeUnit.SECONDS).ok() + rb.get(60, TimeUnit.SECONDS).ok();
        assertThat(admitted).as("both replicas together").isBetween(1, 20);
      }
    }
  }

  private static Load.Result load(TestGateway gw, String body) {
    try {
      return Load.run(gw, "/v1/chat/completions", body, 100, 100);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
