package dev.sluice.admin;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.Await;
import dev.sluice.testing.Canaries;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /admin/providers} through a real gateway: what the fake providers answered (rate limit
 * with no requests left, overload, server errors echoing the provider's key, successes with
 * headroom headers) shows up per target, with its breaker, and no secret does.
 */
class ProvidersAdminEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private final Canaries canaries = new Canaries();
  private final String master = canaries.plant("master key", "sk-master-providers-0123456789");
  private final String keyA = canaries.plant("provider a key", "sk-provider-a-secret-9876543210");
  private final String keyB = canaries.plant("provider b key", "sk-provider-b-secret-1234509876");
  private final String client = canaries.plant("client key", TestGateway.KEY);

  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private String config() {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1, api_key: %s }
          - { name: b, type: openai-compatible, base_url: %s/b/v1, api_key: %s }
          - { name: c, type: openai-compatible, base_url: %s/c/v1 }
        models:
          - name: chat
            routing: priority
            targets: [ { provider: a, model: m }, { provider: b, model: m } ]
            breaker: { consecutive_failures: 5, cooldown: 4m }
          - name: spare
            targets: [ { provider: c, model: never-called } ]
        keys: [ { key: %s, name: t } ]
        """.formatted(master, base, keyA, base, keyB, base, client);
  }

  @Test
  void showsHeadroomErrorsRetriesFallbacksAndTheOpenBreakerPerTargetWithoutSecrets() throws Exception {
    AtomicInteger callsToA = new AtomicInteger();
    upstream.dispatch(r -> {
      if (r.uri().startsWith("/b/")) {
        return FakeResponse.json(200, COMPLETION).header("x-ratelimit-limit-requests", "100")
            .header("x-ratelimit-remaining-requests", "99").header("x-ratelimit-reset-requests", "1s")
            .header("x-ratelimit-remaining-tokens", "5000");
      }
      return switch (callsToA.incrementAndGet()) {
        case 1 -> FakeResponse.json(429, "{\"error\":{\"message\":\"slow down\"}}")
            .header("x-ratelimit-limit-requests", "60").header("x-ratelimit-remaining-requests", "0")
            .header("x-ratelimit-reset-requests", "2s");
        case 2 -> FakeResponse.json(503, "{\"error\":{\"message\":\"overloaded\"}}");
        default -> FakeResponse.json(500, "{\"error\":{\"message\":\"boom for key " + keyA + "\"}}");
      };
    });
    FakeTicker ticker = new FakeTicker();
    try (TestGateway gw = TestGateway.start(config(), ticker)) {
      JsonNode before = providers(gw);
      assertThat(targets(before)).containsExactly("a/m", "b/m", "c/never-called");
      assertThat(target(before, "a/m").path("counts").path("attempts").asLong()).isZero();

      // a says it has no requests left: the request fails over to b, which reports its headroom.
      HttpResponse<String> first = gw.post("/v1/chat/completions", CHAT);
      assertThat(first.statusCode()).isEqualTo(200);
      JsonNode afterRateLimit = providers(gw);
      JsonNode a = target(afterRateLimit, "a/m");
      assertThat(a.path("headroom").path("requests").path("remaining").asLong(-1)).isZero();
      assertThat(a.path("headroom").path("requests").path("limit").asLong()).isEqualTo(60);
      assertThat(a.path("headroom").path("seen_at").isTextual()).isTrue();
      assertThat(a.path("cooling_until").isTextual()).as("cooling down after the 429").isTrue();
      assertThat(a.path("recent_errors").get(0).path("status").asInt()).isEqualTo(429);
      assertThat(a.path("recent_errors").get(0).path("error_class").asText()).isEqualTo("rate_limited");
      // The 429 cut a's adaptive limit, from its start to a share of the one attempt in flight.
      JsonNode cuts = a.path("concurrency").path("cuts");
      assertThat(cuts.path("dropped").asLong()).isEqualTo(1);
      assertThat(cuts.path("latency").asLong()).isZero();
      assertThat(cuts.path("last").path("cause").asText()).isEqualTo("dropped");
      assertThat(cuts.path("last").path("from").asInt()).isEqualTo(20_000);
      assertThat(cuts.path("last").path("in_flight").asInt()).isEqualTo(1);
      assertThat(cuts.path("last").path("to").asInt()).isEqualTo(a.path("concurrency").path("limit").asInt());
      assertThat(cuts.path("last").path("at").isTextual()).isTrue();
      assertThat(a.path("concurrency").path("latency_ms").path("smoothed").isNull()).as("a never answered").isTrue();
      JsonNode b = target(afterRateLimit, "b/m");
      assertThat(b.path("concurrency").path("cuts").path("last").isNull()).isTrue();
      assertThat(b.path("concurrency").path("latency_ms").path("smoothed").isNumber()).as("b answered").isTrue();
      assertThat(b.path("counts").path("fallbacks").asLong()).isEqualTo(1);
      assertThat(b.path("counts").path("successes").asLong()).isEqualTo(1);
      assertThat(b.path("headroom").path("requests").path("remaining").asLong()).isEqualTo(99);
      assertThat(b.path("headroom").path("requests").path("reset").asText()).isEqualTo("1s");
      assertThat(b.path("headroom").path("tokens").path("remaining").asLong()).isEqualTo(5000);

      // Then a is overloaded, then fails with 500s (retried on a) until its breaker opens.
      JsonNode latest = afterRateLimit;
      for (int i = 0; i < 10 && !target(latest, "a/m").path("breaker").path("state").asText().equals("OPEN"); i++) {
        ticker.advance(Duration.ofSeconds(5)); // past a's cool-down, well short of the breaker's
        assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        latest = providers(gw);
      }
      a = target(latest, "a/m");
      assertThat(a.path("breaker").path("state").asText()).isEqualTo("OPEN");
      assertThat(a.path("breaker").path("opened_at").isTextual()).isTrue();
      assertThat(a.path("breaker").path("next_probe_at").isTextual()).isTrue();
      assertThat(a.path("breaker").path("openings").asLong()).isEqualTo(1);
      assertThat(a.path("counts").path("retries").asLong()).as("500s are retried on a").isPositive();
      assertThat(a.path("counts").path("errors").asLong()).isEqualTo(callsToA.get());
      assertThat(a.path("counts").path("attempts").asLong()).isEqualTo(callsToA.get());
      List<String> classes = new ArrayList<>();
      a.path("recent_errors").forEach(e -> classes.add(e.path("status").asInt() + " " + e.path("error_class").asText()));
      assertThat(classes).as("newest first").endsWith("503 overloaded", "429 rate_limited").contains("500 server_error");
      assertThat(a.path("recent_errors").get(0).path("message").asText()).contains("boom");
      assertThat(a.path("concurrency").path("limit").asInt()).isPositive();
      assertThat(a.path("concurrency").path("in_flight").asInt()).isZero();

      b = target(latest, "b/m");
      assertThat(b.path("breaker").path("state").asText()).isEqualTo("CLOSED");
      assertThat(b.path("breaker").path("opened_at").isNull()).isTrue();
      assertThat(b.path("counts").path("errors").asLong()).isZero();
      assertThat(b.path("counts").path("fallbacks").asLong()).isEqualTo(b.path("counts").path("attempts").asLong());

      JsonNode c = target(latest, "c/never-called");
      assertThat(c.path("provider").asText()).isEqualTo("c");
      assertThat(c.path("model").asText()).isEqualTo("never-called");
      assertThat(c.path("breaker").path("state").asText()).isEqualTo("CLOSED");
      assertThat(c.path("counts").path("attempts").asLong()).isZero();
      assertThat(c.path("headroom").isNull()).isTrue();
      assertThat(c.path("recent_errors")).isEmpty();

      canaries.surface("GET /admin/providers", latest.toString());
      canaries.assertNoneFound();
    }
  }

  @Test
  void aStreamedAnswerCountsAsASuccessWithItsHeadroomAndGivesItsConcurrencySlotBack() throws Exception {
    upstream.dispatch(r -> FakeResponse.openAiStream(OpenAiFixtures.helloStream())
        .header("x-ratelimit-limit-requests", "100").header("x-ratelimit-remaining-requests", "42")
        .header("x-ratelimit-reset-requests", "1s"));
    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> res = gw.post("/v1/chat/completions", OpenAiFixtures.streamRequest(false));
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).contains("data: [DONE]");
      // A stream's target bookkeeping runs right after its first write: wait for it, never race it.
      Await.until("the stream's success on a/m", () -> successes(gw, "a/m") == 1, Duration.ofSeconds(10));
      JsonNode a = target(providers(gw), "a/m");
      assertThat(a.path("headroom").path("requests").path("remaining").asLong()).isEqualTo(42);
      assertThat(a.path("concurrency").path("in_flight").asInt()).isZero();
      assertThat(a.path("breaker").path("state").asText()).isEqualTo("CLOSED");
      assertThat(a.path("counts").path("errors").asLong()).isZero();
    }
  }

  private long successes(TestGateway gw, String label) {
    try {
      return target(providers(gw), label).path("counts").path("successes").asLong();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void refusesParametersAndClientKeys() throws Exception {
    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> bad = gw.get("/admin/providers?target=a/m", master);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(new ObjectMapper().readTree(bad.body()).path("error").path("param").asText()).isEqualTo("target");
      assertThat(gw.get("/admin/providers", client).statusCode()).isEqualTo(401);
    }
  }

  private JsonNode providers(TestGateway gw) throws Exception {
    HttpResponse<String> res = gw.get("/admin/providers", master);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(res.body());
    assertThat(body.path("since").isTextual()).isTrue();
    return body;
  }

  private static List<String> targets(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.path("targets").forEach(t -> out.add(t.path("target").asText()));
    return out;
  }

  private static JsonNode target(JsonNode body, String label) {
    for (JsonNode t : body.path("targets")) {
      if (t.path("target").asText().equals(label)) {
        return t;
      }
    }
    throw new AssertionError("no target " + label + " in " + body);
  }
}
