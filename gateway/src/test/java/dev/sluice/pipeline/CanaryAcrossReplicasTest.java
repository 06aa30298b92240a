package dev.sluice.pipeline;

import static dev.sluice.pipeline.CanaryEndToEndTest.MASTER;
import static dev.sluice.pipeline.CanaryEndToEndTest.await;
import static dev.sluice.pipeline.CanaryEndToEndTest.canary;
import static dev.sluice.pipeline.CanaryEndToEndTest.chat;
import static dev.sluice.pipeline.CanaryEndToEndTest.percentIs;
import static dev.sluice.pipeline.CanaryEndToEndTest.post;
import static dev.sluice.pipeline.CanaryEndToEndTest.sessions;
import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RedisTestServer;
import dev.sluice.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two gateways sharing a real redis-server see one canary: one state, one step, one rollback. */
class CanaryAcrossReplicasTest {
  private static RedisTestServer redis;

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private final AtomicInteger toB = new AtomicInteger();
  private volatile FakeResponse fromB = FakeResponse.json(200, COMPLETION);

  @BeforeAll
  static void startRedis() {
    redis = RedisTestServer.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static double rollbacks(TestGateway gw) throws Exception {
    Matcher m = Pattern.compile("sluice_canary_rollbacks_total\\{model=\"chat\"} ([0-9.]+)")
        .matcher(gw.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void twoGatewaysShareOneStateAndOneRollback() throws Exception {
    upstream.dispatch(r -> {
      if (r.uri().startsWith("/b/")) {
        toB.incrementAndGet();
        return fromB;
      }
      return FakeResponse.json(200, COMPLETION);
    });
    String yaml = CanaryEndToEndTest.config("http://127.0.0.1:" + upstream.port(), "{ error_rate: 20%, min_requests: 6 }",
        "redis: { url: \"" + redis.uri() + "\" }");
    FakeTicker ticker = new FakeTicker();
    try (TestGateway one = TestGateway.start(yaml, ticker); TestGateway two = TestGateway.start(yaml, ticker)) {
      assertThat(canary(one).path("percent").asDouble()).isEqualTo(10.0);
      assertThat(canary(two).path("percent").asDouble()).isEqualTo(10.0);

      ticker.advance(Duration.ofMinutes(10));
      List<String> first = sessions(6, 0, 100_000);
      for (int i = 0; i < first.size(); i++) {
        assertThat(chat(i % 2 == 0 ? one : two, first.get(i))).isEqualTo(200);
      }
      assertThat(toB.get()).isEqualTo(6);
      await("the step to 50%, seen by both", () -> percentIs(one, 50.0) && percentIs(two, 50.0));
      assertThat(canary(one).path("step_started_at")).isEqualTo(canary(two).path("step_started_at"));

      fromB = FakeResponse.json(500, "{\"error\":{\"message\":\"canary is broken\"}}");
      List<String> second = sessions(6, 100_000, 500_000);
      for (int i = 0; i < second.size(); i++) {
        assertThat(chat(i % 2 == 0 ? one : two, second.get(i))).as("answered by a after b failed").isEqualTo(200);
      }
      await("the rollback, seen by both", () -> percentIs(one, 0.0) && percentIs(two, 0.0));
      JsonNode a = canary(one);
      JsonNode b = canary(two);
      assertThat(a.path("state").asText()).isEqualTo("rolled_back");
      assertThat(b.path("state").asText()).isEqualTo("rolled_back");
      assertThat(a.path("last_rollback")).isEqualTo(b.path("last_rollback"));
      assertThat(a.path("last_rollback").path("reason").asText()).contains("6 failed of 6 requests");
      assertThat(rollbacks(one) + rollbacks(two)).as("one rollback, counted by the replica that made it")
          .isEqualTo(1.0);

      fromB = FakeResponse.json(200, COMPLETION);
      assertThat(post(two, "/admin/canary/chat/restart").path("percent").asDouble()).isEqualTo(10.0);
      await("the restart, seen by the other", () -> percentIs(one, 10.0));
      assertThat(canary(one).path("state").asText()).isEqualTo("ramping");
      assertThat(one.get("/admin/canary", MASTER).statusCode()).isEqualTo(200);
    }
  }
}
