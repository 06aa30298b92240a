package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Load;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same-target retry cap: a failing target is retried at most {@code retries.same_target} times
 * (1 by default) in a request, then the request fails over to the next target; with nowhere else
 * to go, retries stay on the one target up to {@code max_attempts}. Two providers, each its own
 * fake upstream, so every attempt is counted where it landed.
 */
class FailOverEndToEndTest {
  @RegisterExtension
  final FakeUpstream bad = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream good = new FakeUpstream();

  private static final String ERROR_500 = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}";
  private static final String REQUEST = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  /** Model {@code chat}: {@code bad/m1} then {@code good/m2}, priority routing, plus {@code extra} keys. */
  private String config(String extra) {
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: bad, type: openai-compatible, base_url: %s }
          - { name: good, type: openai-compatible, base_url: %s }
        models:
          - name: chat
            routing: priority
            targets: [ { provider: bad, model: m1 }, { provider: good, model: m2 } ]
        %s
        keys: [ { key: %s, name: t } ]
        """.formatted(bad.baseUrl(), good.baseUrl(), extra.indent(4).stripTrailing(), TestGateway.KEY);
  }

  /** The targets of {@code x-sluice-attempts} with their outcomes, e.g. {@code bad/m1:server_error}. */
  private static List<String> attempts(HttpResponse<String> res) {
    String header = res.headers().firstValue("x-sluice-attempts").orElseThrow();
    return Arrays.stream(header.split(", ")).map(a -> {
      String[] parts = a.split(";");
      String outcome = Arrays.stream(parts).filter(p -> p.startsWith("outcome=")).findFirst().orElseThrow();
      return parts[0] + ":" + outcome.substring("outcome=".length());
    }).toList();
  }

  @Test
  void oneOfTwoTargetsHardDownFromTheFirstRequestEveryRequestSucceedsWithFewExtraAttempts() throws Exception {
    bad.dispatch(r -> FakeResponse.json(500, ERROR_500));
    good.dispatch(r -> FakeResponse.json(200, COMPLETION));
    int requests = 1000;
    int rampUp = 10;
    try (TestGateway gw = TestGateway.start(config(""), new FakeTicker())) {
      // Traffic starts the way it does after a deploy: the first requests one at a time, then a crowd.
      Load.Result first = Load.run(gw, "/v1/chat/completions", REQUEST, rampUp, 1);
      Load.Result rest = Load.run(gw, "/v1/chat/completions", REQUEST, requests - rampUp, 12);
      int badAttempts = bad.requestCount();
      int goodAttempts = good.requestCount();
      System.out.printf("[fail-over] %d requests: %d ok; upstream attempts %d (bad %d, good %d) = %.3f per request%n",
          requests, first.ok() + rest.ok(), badAttempts + goodAttempts, badAttempts, goodAttempts,
          (badAttempts + goodAttempts) / (double) requests);

      assertThat(first.statuses()).as("every request answered 200").hasSize(rampUp).containsOnly(200);
      assertThat(rest.statuses()).as("every request answered 200").hasSize(requests - rampUp).containsOnly(200);
      assertThat(goodAttempts).as("the healthy target served each request once").isEqualTo(requests);
      assertThat(badAttempts + goodAttempts).as("upstream attempts").isLessThanOrEqualTo(requests * 12 / 10);
      assertThat(gw.get("/metrics").body()).as("the breaker took the dead target out")
          .contains("sluice_breaker_state{target=\"bad/m1\"} 1.0");
    }
  }

  @Test
  void aTargetThatFailsOnceIsRetriedOnceAndAnswers() throws Exception {
    bad.enqueue(FakeResponse.json(500, ERROR_500)).enqueue(FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config(""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(attempts(res)).containsExactly("bad/m1:server_error", "bad/m1:ok");
      assertThat(good.requestCount()).isZero();
    }
  }

  @Test
  void aTargetThatFailsAgainOnItsRetryIsLeftForTheNextTarget() throws Exception {
    bad.dispatch(r -> FakeResponse.json(500, ERROR_500));
    good.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config(""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("x-sluice-provider")).hasValue("good");
      assertThat(attempts(res)).containsExactly("bad/m1:server_error", "bad/m1:server_error", "good/m2:ok");
      assertThat(bad.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void sameTargetZeroFailsOverOnTheFirstServerError() throws Exception {
    bad.dispatch(r -> FakeResponse.json(500, ERROR_500));
    good.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("retries: { same_target: 0 }"))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(attempts(res)).containsExactly("bad/m1:server_error", "good/m2:ok");
    }
  }

  @Test
  void aHigherSameTargetCapRetriesMoreBeforeFailingOver() throws Exception {
    bad.dispatch(r -> FakeResponse.json(500, ERROR_500));
    good.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("retries: { max_attempts: 5, same_target: 2, backoff: 1ms }"))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(attempts(res)).containsExactly("bad/m1:server_error", "bad/m1:server_error", "bad/m1:server_error",
          "good/m2:ok");
    }
  }

  @Test
  void aStreamThatFailsBeforeItsFirstByteFailsOverAfterOneRetry() throws Exception {
    bad.dispatch(r -> FakeResponse.json(500, ERROR_500));
    good.dispatch(r -> FakeResponse.openAiStream(OpenAiFixtures.helloStream()));
    try (TestGateway gw = TestGateway.start(config(""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions",
          "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(Sse.dataLines(res.body())).last().isEqualTo("[DONE]");
      assertThat(bad.requestCount()).isEqualTo(2);
      assertThat(good.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void withOneTargetRetriesStayOnItUpToMaxAttempts() throws Exception {
    bad.enqueue(FakeResponse.json(500, ERROR_500)).enqueue(FakeResponse.json(500, ERROR_500))
        .enqueue(FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(bad.baseUrl(), ""))) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(attempts(res)).containsExactly("up/upstream-model:server_error", "up/upstream-model:server_error",
          "up/upstream-model:ok");
    }
  }

  @Test
  void aFallbackModelIsTheAlternativeAfterOneRetry() throws Exception {
    bad.dispatch(r -> FakeResponse.json(500, ERROR_500));
    AtomicInteger goodCalls = new AtomicInteger();
    good.dispatch(r -> {
      goodCalls.incrementAndGet();
      return FakeResponse.json(200, COMPLETION);
    });
    String yaml = """
        server: { host: 127.0.0.1 }
        providers:
          - { name: bad, type: openai-compatible, base_url: %s }
          - { name: good, type: openai-compatible, base_url: %s }
        models:
          - { name: chat, targets: [ { provider: bad, model: m1 } ], fallbacks: [spare] }
          - { name: spare, targets: [ { provider: good, model: m2 } ] }
        keys: [ { key: %s, name: t } ]
        """.formatted(bad.baseUrl(), good.baseUrl(), TestGateway.KEY);
    try (TestGateway gw = TestGateway.start(yaml)) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(attempts(res)).containsExactly("bad/m1:server_error", "bad/m1:server_error", "good/m2:ok");
      assertThat(goodCalls).hasValue(1);
    }
  }
}
