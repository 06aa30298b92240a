package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Load;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries, fail-over, cool-downs, breakers, fallbacks, deadlines and degradation, end to end. */
class ReliabilityEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static final String ERROR_500 = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}";
  private static final String ERROR_503 = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";

  private static String request(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  /** Two OpenAI-compatible providers on the one fake upstream, told apart by path prefix /a and /b. */
  private String twoTargets(String modelYaml) {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1, master_key: sk-master-key-0001 }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
        models:
        %s
        keys: [ { key: %s, name: t } ]
        """.formatted(base, base, modelYaml.indent(2).stripTrailing(), TestGateway.KEY);
  }

  @Test
  void retriesOn500ThenSucceeds() throws Exception {
    upstream.enqueue(FakeResponse.json(500, ERROR_500)).enqueue(FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", request("chat"));
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(upstream.requestCount()).isEqualTo(2);
      String attempts = res.headers().firstValue("x-sluice-attempts").orElseThrow();
      assertThat(attempts).contains("up/upstream-model;outcome=server_error;status=500")
          .contains("up/upstream-model;outcome=ok;status=200");
    }
  }

  @Test
  void clientErrorsAreNeverRetried() throws Exception {
    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"bad tool schema\"}}"));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      assertThat(gw.post("/v1/chat/completions", request("chat")).statusCode()).isEqualTo(400);
      assertThat(upstream.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void a100PercentFailingTargetUnderSteadyLoadGetsAtMost20PercentExtraAttempts() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(500, ERROR_500));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      Load.Result result = Load.run(gw, "/v1/chat/completions", request("chat"), 600, 20);
      assertThat(result.ok()).isZero();
      double ratio = upstream.requestCount() / 600.0;
      assertThat(ratio).as("upstream attempts per client request").isLessThanOrEqualTo(1.2);
    }
  }

  @Test
  void retryAfterKeepsTheTargetAwayUntilItSaysAndTrafficGoesElsewhere() throws Exception {
    FakeTicker ticker = new FakeTicker();
    upstream.dispatch(r -> r.uri().startsWith("/a/")
        ? FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}").header("retry-after", "2")
        : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(twoTargets("""
        - name: chat
          routing: priority
          targets: [ { provider: a, model: m }, { provider: b, model: m } ]
        """), ticker)) {
      HttpResponse<String> first = gw.post("/v1/chat/completions", request("chat"));
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("x-sluice-provider")).hasValue("b");
      assertThat(upstream.takeRequest().uri()).startsWith("/a/");
      assertThat(upstream.takeRequest().uri()).startsWith("/b/");

      ticker.advance(Duration.ofMillis(1900));
      for (int i = 0; i < 5; i++) {
        assertThat(gw.post("/v1/chat/completions", request("chat")).headers().firstValue("x-sluice-provider")).hasValue("b");
        assertThat(upstream.takeRequest().uri()).as("a is cooling down").startsWith("/b/");
      }
      ticker.advance(Duration.ofMillis(200));
      gw.post("/v1/chat/completions", request("chat"));
      assertThat(upstream.takeRequest().uri()).as("a is tried again once its Retry-After passed").startsWith("/a/");
    }
  }

  @Test
  void aTargetReportingNoRemainingRequestsIsSkippedUntilItsReset() throws Exception {
    FakeTicker ticker = new FakeTicker();
    upstream.dispatch(r -> r.uri().startsWith("/a/")
        ? FakeResponse.json(200, COMPLETION).header("x-ratelimit-remaining-requests", "0")
            .header("x-ratelimit-reset-requests", "6s")
        : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(twoTargets("""
        - name: chat
          routing: priority
          targets: [ { provider: a, model: m }, { provider: b, model: m } ]
        """), ticker)) {
      assertThat(gw.post("/v1/chat/completions", request("chat")).headers().firstValue("x-sluice-provider")).hasValue("a");
      assertThat(gw.post("/v1/chat/completions", request("chat")).headers().firstValue("x-sluice-provider"))
          .as("a said it has no requests left for 6 s").hasValue("b");
      ticker.advance(Duration.ofSeconds(7));
      assertThat(gw.post("/v1/chat/completions", request("chat")).headers().firstValue("x-sluice-provider")).hasValue("a");
    }
  }

  @Test
  void oneOfTwoTargetsHardDownStillServes999PerMilleAndItsBreakerReadmitsItAfterRecovery() throws Exception {
    FakeTicker ticker = new FakeTicker();
    AtomicBoolean aDown = new AtomicBoolean(true);
    upstream.dispatch(r -> r.uri().startsWith("/a/") && aDown.get() ? FakeResponse.json(503, ERROR_503)
        : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(twoTargets("""
        - name: chat
          targets: [ { provider: a, model: m }, { provider: b, model: m } ]
          breaker: { consecutive_failures: 5, cooldown: 30s }
        """), ticker)) {
      Load.Result result = Load.run(gw, "/v1/chat/completions", request("chat"), 2000, 20);
      assertThat(result.ok() / 2000.0).as("success ratio").isGreaterThanOrEqualTo(0.999);
      assertThat(gw.get("/metrics").body()).contains("sluice_breaker_state{target=\"a/m\"} 1.0");
      HttpResponse<String> admin = gw.get("/admin/breakers", "sk-master-key-0001");
      assertThat(Sse.json(admin.body()).get("breakers").get("a/m").asText()).isEqualTo("OPEN");
      assertThat(gw.get("/admin/breakers", TestGateway.KEY).statusCode()).as("a client key is not the master key").isEqualTo(401);
      int aRequests = (int) upstream.received().stream().filter(r -> r.uri().startsWith("/a/")).count();
      assertThat(aRequests).as("the open breaker keeps traffic off the dead target").isLessThan(100);

      aDown.set(false);
      ticker.advance(Duration.ofSeconds(31));
      upstream.clearReceived();
      Load.run(gw, "/v1/chat/completions", request("chat"), 200, 4);
      assertThat(upstream.received().stream().filter(r -> r.uri().startsWith("/a/")).count())
          .as("after a successful half-open probe the target takes traffic again").isGreaterThan(20);
      assertThat(gw.get("/metrics").body()).contains("sluice_breaker_state{target=\"a/m\"} 0.0");
    }
  }

  @Test
  void aStreamCutAfterItsFirstChunkIsNeverRetried() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(dev.sluice.testing.OpenAiFixtures.helloStream()).cutAfter(2));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", dev.sluice.testing.OpenAiFixtures.streamRequest(false));
      var data = Sse.dataLines(res.body());
      assertThat(Sse.json(data.get(data.size() - 1)).has("error")).isTrue();
      assertThat(upstream.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void aStreamThatFailsBeforeItsFirstTokenIsRetriedInvisibly() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(dev.sluice.testing.OpenAiFixtures.helloStream()).cutAfter(1))
        .enqueue(FakeResponse.openAiStream(dev.sluice.testing.OpenAiFixtures.helloStream()));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", dev.sluice.testing.OpenAiFixtures.streamRequest(false));
      var data = Sse.dataLines(res.body());
      assertThat(data).last().isEqualTo("[DONE]");
      assertThat(data).hasSize(6);
      assertThat(upstream.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void fallbackChainServesWhenTheModelsTargetsAreDown() throws Exception {
    upstream.dispatch(r -> r.uri().startsWith("/a/") ? FakeResponse.json(503, ERROR_503) : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(twoTargets("""
        - name: main
          targets: [ { provider: a, model: big } ]
          fallbacks: [cheap]
        - name: cheap
          targets: [ { provider: b, model: small } ]
        """))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", request("main"));
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("x-sluice-model")).hasValue("small");
      assertThat(upstream.takeRequest().json().get("model").asText()).isEqualTo("big");
      assertThat(upstream.takeRequest().json().get("model").asText()).isEqualTo("small");
    }
  }

  @Test
  void contextLengthErrorsGoToTheLongContextModel() throws Exception {
    upstream.dispatch(r -> r.uri().startsWith("/a/")
        ? FakeResponse.json(400, "{\"error\":{\"message\":\"maximum context length is 8192 tokens\",\"code\":\"context_length_exceeded\"}}")
        : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(twoTargets("""
        - name: main
          targets: [ { provider: a, model: short } ]
          on_context_length: long
        - name: long
          targets: [ { provider: b, model: long-ctx } ]
        """))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", request("main"));
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("x-sluice-model")).hasValue("long-ctx");
    }
  }

  @Test
  void everythingDownServesTheConfiguredDegradedAnswer() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(503, ERROR_503));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), "",
        "degraded: { answer: \"We are busy, please try again shortly.\" }"))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", request("chat"));
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("x-sluice-degraded")).hasValue("true");
      assertThat(Sse.json(res.body()).get("choices").get(0).get("message").get("content").asText())
          .isEqualTo("We are busy, please try again shortly.");
    }
  }

  @Test
  void aTargetCoolingDownGetsAFast503WithRetryAfterNotAHungRequest() throws Exception {
    upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}").header("retry-after", "30"));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      HttpResponse<String> first = gw.post("/v1/chat/completions", request("chat"));
      assertThat(first.statusCode()).isEqualTo(429);
      long start = System.nanoTime();
      HttpResponse<String> second = gw.post("/v1/chat/completions", request("chat"));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(Long.parseLong(second.headers().firstValue("retry-after").orElseThrow())).isBetween(25L, 30L);
      assertThat(ms).isLessThan(200);
      assertThat(upstream.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void theClientIsAnsweredByItsDeadline() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION).latency(3000));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      long start = System.nanoTime();
      HttpResponse<String> res = gw.http().send(gw.request("/v1/chat/completions").header("x-sluice-timeout", "300")
          .POST(HttpRequest.BodyPublishers.ofString(request("chat"))).build(), HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(res.statusCode()).isEqualTo(504);
      assertThat(ms).isBetween(280L, 800L);
    }
  }

  @Test
  void theModelsTotalTimeoutIsTheDeadlineOfAllAttempts() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION).latency(3000));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), "",
        "timeouts: { total: 400ms }"))) {
      long start = System.nanoTime();
      HttpResponse<String> res = gw.post("/v1/chat/completions", request("chat"));
      assertThat(res.statusCode()).isEqualTo(504);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(380L, 900L);
    }
  }

  @Test
  void badTimeoutHeaderIs400() throws Exception {
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      HttpResponse<String> res = gw.http().send(gw.request("/v1/chat/completions").header("x-sluice-timeout", "soon")
          .POST(HttpRequest.BodyPublishers.ofString(request("chat"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Sse.json(res.body()).get("error").get("param").asText()).isEqualTo("x-sluice-timeout");
    }
  }
}
