package dev.sluice.pipeline;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.routing.StickyKey;
import dev.sluice.switching.canary.CanaryDirector;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canaries through a real gateway: provider {@code a} serves model {@code chat}, provider {@code b}
 * its canary {@code chat-next}. Conversations are picked by their canary bucket, so which ones go
 * to the canary at a given percent is known; time is a fake ticker.
 */
class CanaryEndToEndTest {
  static final String MASTER = "sk-master-canary-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private final AtomicInteger toA = new AtomicInteger();
  private final AtomicInteger toB = new AtomicInteger();
  private volatile FakeResponse fromB = FakeResponse.json(200, COMPLETION);

  static String config(String base, String rollbackIf, String extraTop) {
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
        models:
          - name: chat
            targets: [ { provider: a, model: m } ]
            retries: { max_attempts: 2, same_target: 0, budget: 100%% }
            canary: { model: chat-next, start: 10%%, step: 40%%, every: 10m, max: 100%%, rollback_if: %s }
          - name: chat-next
            targets: [ { provider: b, model: m2 } ]
            breaker: { consecutive_failures: 1000, min_requests: 1000 }
        keys: [ { key: %s, name: t } ]
        %s
        """.formatted(MASTER, base, base, rollbackIf, TestGateway.KEY, extraTop);
  }

  private String config(String rollbackIf) {
    return config("http://127.0.0.1:" + upstream.port(), rollbackIf, "");
  }

  private void dispatch() {
    upstream.dispatch(r -> {
      if (r.uri().startsWith("/b/")) {
        toB.incrementAndGet();
        return fromB;
      }
      toA.incrementAndGet();
      return FakeResponse.json(200, COMPLETION);
    });
  }

  /** Conversation names whose canary bucket is in [fromPpm, toPpm): they go to the canary exactly from that share on. */
  static List<String> sessions(int n, long fromPpm, long toPpm) {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < n; i++) {
      String s = "conversation-" + fromPpm + "-" + i;
      long b = CanaryDirector.bucket("chat", StickyKey.of(s));
      if (b >= fromPpm && b < toPpm) {
        out.add(s);
      }
    }
    return out;
  }

  static int chat(TestGateway gw, String session) throws Exception {
    HttpRequest.Builder b = gw.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
    if (session != null) {
      b.header("x-sluice-session", session);
    }
    return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  static JsonNode canary(TestGateway gw) throws Exception {
    HttpResponse<String> r = gw.get("/admin/canary", MASTER);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).path("canaries").get(0);
  }

  static JsonNode post(TestGateway gw, String path) throws Exception {
    HttpResponse<String> r = gw.http().send(HttpRequest.newBuilder(URI.create(gw.url(path)))
        .header("authorization", "Bearer " + MASTER).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_status", r.statusCode());
    return body;
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static boolean percentIs(TestGateway gw, double p) {
    try {
      return canary(gw).path("percent").asDouble() == p;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void rampsStepByStepHoldingWhileTheWindowLacksRequests() throws Exception {
    dispatch();
    FakeTicker ticker = new FakeTicker();
    try (TestGateway gw = TestGateway.start(config("{ error_rate: 20%, p95_ttft: 10s, min_requests: 5 }"), ticker)) {
      JsonNode c = canary(gw);
      assertThat(c.path("model").asText()).isEqualTo("chat");
      assertThat(c.path("canary").asText()).isEqualTo("chat-next");
      assertThat(c.path("state").asText()).isEqualTo("ramping");
      assertThat(c.path("percent").asDouble()).isEqualTo(10.0);
      assertThat(c.path("last_rollback").isNull()).isTrue();

      List<String> first = sessions(5, 0, 100_000);
      List<String> second = sessions(6, 100_000, 500_000);
      List<String> never = sessions(3, 900_000, 1_000_000);

      ticker.advance(Duration.ofMinutes(10));
      for (int i = 0; i < 4; i++) {
        assertThat(chat(gw, first.get(i))).isEqualTo(200);
      }
      assertThat(toB.get()).isEqualTo(4);
      c = canary(gw);
      assertThat(c.path("percent").asDouble()).as("due, but 4 of 5 requests: holds").isEqualTo(10.0);
      assertThat(c.path("window").path("requests").asLong()).isEqualTo(4);
      for (String s : second) {
        assertThat(chat(gw, s)).isEqualTo(200);
      }
      assertThat(toA.get()).as("not yet on the canary at 10%").isEqualTo(6);

      assertThat(chat(gw, first.get(4))).isEqualTo(200);
      await("the step to 50%", () -> percentIs(gw, 50.0));
      c = canary(gw);
      assertThat(c.path("window").path("requests").asLong()).as("a new window").isZero();
      assertThat(gw.get("/metrics").body()).contains("sluice_canary_percent{model=\"chat\"} 50.0");

      toA.set(0);
      toB.set(0);
      for (String s : second.subList(0, 5)) {
        assertThat(chat(gw, s)).isEqualTo(200);
      }
      assertThat(chat(gw, first.get(0))).isEqualTo(200);
      for (String s : never) {
        assertThat(chat(gw, s)).isEqualTo(200);
      }
      assertThat(toB.get()).as("sessions under 50% now on the canary, the first ones still").isEqualTo(6);
      assertThat(toA.get()).isEqualTo(3);
      assertThat(canary(gw).path("percent").asDouble()).as("not due yet").isEqualTo(50.0);

      ticker.advance(Duration.ofMinutes(10));
      assertThat(chat(gw, second.get(5))).isEqualTo(200);
      await("the step to 90%", () -> percentIs(gw, 90.0));

      ticker.advance(Duration.ofMinutes(10));
      for (int i = 0; i < 5; i++) {
        assertThat(chat(gw, first.get(i))).isEqualTo(200);
      }
      await("the step to 100%", () -> percentIs(gw, 100.0));
      assertThat(canary(gw).path("state").asText()).isEqualTo("complete");
    }
  }

  @Test
  void rollsBackWhenTheCanaryFailsAndTheClientsAreStillAnswered() throws Exception {
    fromB = FakeResponse.json(500, "{\"error\":{\"message\":\"canary is broken\"}}");
    dispatch();
    try (TestGateway gw = TestGateway.start(config("{ error_rate: 20%, min_requests: 5 }"), new FakeTicker())) {
      List<String> onCanary = sessions(5, 0, 100_000);
      for (String s : onCanary) {
        assertThat(chat(gw, s)).as("answered by the entry's own target after the canary failed").isEqualTo(200);
      }
      assertThat(toB.get()).isEqualTo(5);
      assertThat(toA.get()).isEqualTo(5);
      await("the rollback", () -> percentIs(gw, 0.0));
      JsonNode c = canary(gw);
      assertThat(c.path("state").asText()).isEqualTo("rolled_back");
      assertThat(c.path("last_rollback").path("reason").asText()).contains("error rate 100.0% above 20.0%")
          .contains("5 failed of 5 requests");
      assertThat(c.path("window").path("errors").asLong()).isEqualTo(5);
      assertThat(gw.get("/metrics").body()).contains("sluice_canary_rollbacks_total{model=\"chat\"} 1.0")
          .contains("sluice_canary_percent{model=\"chat\"} 0.0");

      toB.set(0);
      for (String s : onCanary) {
        assertThat(chat(gw, s)).isEqualTo(200);
      }
      assertThat(toB.get()).as("nothing goes to a rolled-back canary").isZero();

      JsonNode resume = post(gw, "/admin/canary/chat/resume");
      assertThat(resume.path("_status").asInt()).isEqualTo(409);
      assertThat(resume.path("error").path("message").asText()).contains("restart");
      assertThat(post(gw, "/admin/canary/chat/jump").path("_status").asInt()).isEqualTo(400);
      assertThat(post(gw, "/admin/canary/chat-next/restart").path("_status").asInt()).isEqualTo(404);

      fromB = FakeResponse.json(200, COMPLETION);
      JsonNode restarted = post(gw, "/admin/canary/chat/restart");
      assertThat(restarted.path("_status").asInt()).isEqualTo(200);
      assertThat(restarted.path("state").asText()).isEqualTo("ramping");
      assertThat(restarted.path("percent").asDouble()).isEqualTo(10.0);
      assertThat(restarted.path("last_rollback").path("reason").asText()).contains("error rate");
      assertThat(chat(gw, onCanary.get(0))).isEqualTo(200);
      assertThat(toB.get()).isEqualTo(1);

      JsonNode paused = post(gw, "/admin/canary/chat/pause");
      assertThat(paused.path("state").asText()).isEqualTo("paused");
      JsonNode back = post(gw, "/admin/canary/chat/rollback");
      assertThat(back.path("state").asText()).isEqualTo("rolled_back");
      assertThat(back.path("last_rollback").path("reason").asText()).isEqualTo("rolled back by an operator");
      assertThat(gw.get("/admin/canary/chat", MASTER).statusCode()).isEqualTo(200);
      assertThat(gw.get("/admin/canary/chat", TestGateway.KEY).statusCode()).as("admin only").isEqualTo(401);
    }
  }

  @Test
  void rollsBackWhenTheCanarysTimeToFirstTokenIsTooSlow() throws Exception {
    fromB = FakeResponse.json(200, COMPLETION).latency(1000);
    dispatch();
    try (TestGateway gw = TestGateway.start(config("{ error_rate: 50%, p95_ttft: 300ms, min_requests: 3 }"),
        new FakeTicker())) {
      for (String s : sessions(3, 0, 100_000)) {
        assertThat(chat(gw, s)).isEqualTo(200);
      }
      await("the rollback", () -> percentIs(gw, 0.0));
      JsonNode c = canary(gw);
      assertThat(c.path("state").asText()).isEqualTo("rolled_back");
      assertThat(c.path("last_rollback").path("reason").asText()).contains("p95 time to first token above 300 ms")
          .contains("3 of 3 requests slower");
      assertThat(c.path("window").path("p95_ttft_ms").asLong()).isGreaterThanOrEqualTo(1000);
    }
  }

  @Test
  void theStateSurvivesARestartOnTheSameStore() throws Exception {
    dispatch();
    Path db = Files.createTempDirectory("sluice-canary").resolve("state.db");
    String yaml = config("{ error_rate: 20%, min_requests: 2 }") + "store: { url: \"sqlite:" + db + "\" }\n";
    FakeTicker ticker = new FakeTicker();
    try (TestGateway gw = TestGateway.start(yaml, ticker)) {
      ticker.advance(Duration.ofMinutes(10));
      for (String s : sessions(2, 0, 100_000)) {
        assertThat(chat(gw, s)).isEqualTo(200);
      }
      await("the step to 50%", () -> percentIs(gw, 50.0));
    }
    try (TestGateway gw = TestGateway.start(yaml, new FakeTicker())) {
      JsonNode c = canary(gw);
      assertThat(c.path("state").asText()).isEqualTo("ramping");
      assertThat(c.path("percent").asDouble()).as("kept across the restart").isEqualTo(50.0);
      assertThat(post(gw, "/admin/canary/chat/rollback").path("state").asText()).isEqualTo("rolled_back");
    }
    try (TestGateway gw = TestGateway.start(yaml, new FakeTicker())) {
      JsonNode c = canary(gw);
      assertThat(c.path("state").asText()).isEqualTo("rolled_back");
      assertThat(c.path("percent").asDouble()).isEqualTo(0.0);
      assertThat(c.path("last_rollback").path("reason").asText()).isEqualTo("rolled back by an operator");
      for (String s : sessions(3, 0, 100_000)) {
        assertThat(chat(gw, s)).isEqualTo(200);
      }
      assertThat(toB.get()).as("still rolled back after the restart").isEqualTo(2);
    }
    String changed = yaml.replace("start: 10%", "start: 20%");
    try (TestGateway gw = TestGateway.start(changed, new FakeTicker())) {
      JsonNode c = canary(gw);
      assertThat(c.path("state").asText()).as("a changed canary starts over").isEqualTo("ramping");
      assertThat(c.path("percent").asDouble()).isEqualTo(20.0);
    }
  }
}
