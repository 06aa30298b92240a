package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.store.ShadowPairRow;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /admin/shadow} and {@code sluice shadow report} over pairs the gateway really recorded. */
class ShadowReportCliTest {
  private static final String MASTER = "sk-master-key-0123456789";
  private static final String REQUEST =
      "{\"model\":\"chat\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  /** Two unit vectors 0.6 apart in cosine: the similarity of every pair. */
  private static final String EMBEDDINGS = """
      {"object":"list","model":"embed-model","usage":{"prompt_tokens":8,"total_tokens":8},
       "data":[{"object":"embedding","index":0,"embedding":[1.0,0.0,0.0]},
               {"object":"embedding","index":1,"embedding":[0.6,0.8,0.0]}]}""";

  @RegisterExtension
  final FakeUpstream primary = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream shadow = new FakeUpstream();

  private static JsonNode json(String s) throws Exception {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theAdminEndpointAndTheCliReportRecordedPairs() throws Exception {
    primary.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    AtomicInteger chats = new AtomicInteger();
    shadow.dispatch(r -> {
      if (r.uri().endsWith("/embeddings")) {
        return FakeResponse.json(200, EMBEDDINGS);
      }
      // Every other copy answers word for word like the primary, the others differently.
      return chats.incrementAndGet() % 2 == 1 ? FakeResponse.json(200, OpenAiFixtures.COMPLETION)
          : FakeResponse.json(200, OpenAiFixtures.COMPLETION.replace("Hello! How can I help?", "Hi."));
    });
    String cfg = dev.sluice.server.ShadowEndToEndTest.config(primary.baseUrl(), shadow.baseUrl(),
        "[ { model: candidate, sample: 1, compare: [exact, json, tools, similarity], embedding_model: cand/embed-model } ]");
    try (TestGateway gw = TestGateway.start(cfg)) {
      for (int i = 0; i < 4; i++) {
        assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200);
        int n = i + 1;
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pairs(gw).size() < n) {
          assertThat(System.nanoTime()).as("pair %d recorded", n).isLessThan(end);
          Thread.sleep(20);
        }
      }

      var res = gw.get("/admin/shadow?model=chat", MASTER);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode r = json(res.body());
      assertThat(r.path("object").asText()).isEqualTo("sluice.shadow_report");
      assertThat(r.path("pairs").asInt()).isEqualTo(4);
      JsonNode c = r.path("data").get(0);
      assertThat(r.path("data")).hasSize(1);
      assertThat(c.path("model").asText()).isEqualTo("chat");
      assertThat(c.path("candidate").asText()).isEqualTo("candidate");
      assertThat(c.path("pairs").asInt()).isEqualTo(4);
      assertThat(c.path("compared").asInt()).isEqualTo(4);
      assertThat(c.path("agreement").path("exact").path("n").asInt()).isEqualTo(4);
      assertThat(c.path("agreement").path("exact").path("rate").asDouble()).isEqualTo(0.5);
      assertThat(c.path("agreement").path("json_valid").path("rate").asDouble()).as("plain text is not JSON").isZero();
      assertThat(c.path("agreement").path("schema_match").path("rate").isNull()).isTrue();
      assertThat(c.path("agreement").path("tools").path("n").asInt()).as("no tool calls: not compared").isZero();
      assertThat(c.path("similarity").path("n").asInt()).isEqualTo(4);
      assertThat(c.path("similarity").path("mean").asDouble()).isEqualTo(0.6);
      assertThat(c.path("error_rate").path("primary").asDouble()).isZero();
      assertThat(c.path("error_rate").path("candidate").asDouble()).isZero();
      assertThat(c.path("latency_ms").path("candidate").path("n").asInt()).isEqualTo(4);
      assertThat(c.path("latency_ms").path("primary").path("p95").isNumber()).isTrue();
      assertThat(c.path("ttft_ms").path("candidate").path("p50").isNumber()).isTrue();
      // 10 output tokens at $10,000 per million: $0.10 a request, $100 per 1,000; the primary 39 µUSD, $0.039.
      assertThat(c.path("cost_per_1000_requests_usd").path("candidate").asText()).isEqualTo("100.000000");
      assertThat(c.path("cost_per_1000_requests_usd").path("primary").asText()).isEqualTo("0.039000");

      assertThat(json(gw.get("/admin/shadow?model=other", MASTER).body()).path("data")).isEmpty();
      var bad = gw.get("/admin/shadow?modle=chat", MASTER);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(json(bad.body()).path("error").path("param").asText()).isEqualTo("modle");
      assertThat(gw.get("/admin/shadow?model=chat", TestGateway.KEY).statusCode()).as("a client key").isEqualTo(401);

      KeysCliTest.Run run = KeysCliTest.sluice("shadow", "report", "--model", "chat", "--url", gw.url(""),
          "--master-key", MASTER);
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("Shadow pairs", ": 4", "chat", "candidate", "50.0% (n=4)", "0.600 (n=4)",
          "0.039000 / 100.000000", "0.0% / 0.0%");
      KeysCliTest.Run asJson = KeysCliTest.sluice("shadow", "report", "--model", "chat", "--json", "--url", gw.url(""),
          "--master-key", MASTER);
      assertThat(json(asJson.out()).path("pairs").asInt()).isEqualTo(4);
    }
  }

  private static List<ShadowPairRow> pairs(TestGateway gw) {
    return Await.await(gw.gateway().store().shadowPairs().between(null, Instant.EPOCH, Instant.now().plusSeconds(60)));
  }
}
