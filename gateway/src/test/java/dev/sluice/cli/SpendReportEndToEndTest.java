package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.RowKind;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /admin/spend} and {@code sluice cost report} over real traffic: a plain call, a response-cache hit
 * on it, a call that read the provider's prompt cache and a shadowed call, each in its own column.
 */
class SpendReportEndToEndTest {
  private static final String MASTER = "sk-master-key-0123456789";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  /**
   * chat: 1 µUSD per input token, 2 per output, response cache on. pc: 2 per input token, 0.5 per cached one.
   * sh: like chat, every request copied to candidate (10,000 USD per million output tokens, prompt free).
   */
  private String config() {
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: up, type: openai-compatible, base_url: %s }
        models:
          - name: chat
            targets: [ { provider: up, model: m1, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
            cache: { ttl: 1h }
          - name: pc
            targets: [ { provider: up, model: pc-model, price: { input_per_mtok: "2", cached_input_per_mtok: "0.5",
                         output_per_mtok: "2" } } ]
          - name: sh
            targets: [ { provider: up, model: m1, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
            shadow: [ { model: candidate, sample: 1 } ]
          - name: candidate
            targets: [ { provider: up, model: cand-model, price: { input_per_mtok: "0", output_per_mtok: "10000" } } ]
        keys:
          - { key: %s, name: tester, team: search }
        """.formatted(MASTER, upstream.baseUrl(), TestGateway.KEY);
  }

  private static String completion(long prompt, long cached) {
    return """
        {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"m",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":%d,"completion_tokens":10,"total_tokens":%d,
                  "prompt_tokens_details":{"cached_tokens":%d}}}""".formatted(prompt, prompt + 10, cached);
  }

  private static String request(String model) {
    return "{\"model\":\"" + model + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  private static JsonNode json(String s) throws Exception {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> columns(JsonNode g) {
    return List.of(g.path("spent_usd").asText(), g.path("saved_by_response_cache_usd").asText(),
        g.path("saved_by_prompt_cache_usd").asText(), g.path("shadow_usd").asText());
  }

  @Test
  void eachKindOfMoneyLandsInItsOwnColumnByKeyModelAndDayAndTheCliPrintsThem() throws Exception {
    // pc-model reports 800 of its 1000 prompt tokens read from the provider's cache; the others none.
    upstream.dispatch(r -> FakeResponse.json(200,
        r.body().contains("pc-model") ? completion(1000, 800) : completion(100, 0)));
    try (TestGateway gw = TestGateway.start(config())) {
      assertThat(gw.post("/v1/chat/completions", request("chat")).headers().firstValue("x-sluice-cache"))
          .hasValue("miss");
      assertThat(gw.post("/v1/chat/completions", request("chat")).headers().firstValue("x-sluice-cache"))
          .hasValue("hit");
      assertThat(gw.post("/v1/chat/completions", request("pc")).statusCode()).isEqualTo(200);
      assertThat(gw.post("/v1/chat/completions", request("sh")).statusCode()).isEqualTo(200);
      // call, hit, prompt-cached call, shadowed call and its shadow copy
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      List<LedgerRow> rows;
      do {
        assertThat(System.nanoTime()).as("five ledger rows").isLessThan(end);
        Await.await(gw.gateway().ledger().flush());
        rows = Await.await(gw.gateway().store().ledger().rowsSince(Instant.EPOCH));
        if (rows.size() < 5) {
          Thread.sleep(20);
        }
      } while (rows.size() < 5);
      assertThat(rows).extracting(LedgerRow::kind).containsExactlyInAnyOrder(RowKind.CALL, RowKind.CACHE_HIT,
          RowKind.CALL, RowKind.CALL, RowKind.SHADOW);

      String from = Instant.now().minus(Duration.ofDays(1)).toString();
      // chat: 100 input + 10 output tokens = 120 µUSD, and the hit saved them; pc: 200 × 2 + 800 × 0.5 + 10 × 2
      // = 820 µUSD instead of 1000 × 2 + 20 = 2020, saved 800 × (2 - 0.5) = 1200; sh: 120 µUSD, its shadow copy
      // 10 output tokens at 0.01 USD = 0.1 USD.
      JsonNode byModel = json(gw.get("/admin/spend?group_by=model&from=" + from, MASTER).body());
      assertThat(byModel.path("data")).extracting(g -> g.path("group").asText()).containsExactly("chat", "pc", "sh");
      assertThat(columns(byModel.path("data").get(0))).containsExactly("0.000120", "0.000120", "0.000000", "0.000000");
      assertThat(columns(byModel.path("data").get(1))).containsExactly("0.000820", "0.000000", "0.001200", "0.000000");
      assertThat(columns(byModel.path("data").get(2))).containsExactly("0.000120", "0.000000", "0.000000", "0.100000");
      assertThat(byModel.path("data").get(0).path("requests").asInt()).as("the call and the hit").isEqualTo(2);
      assertThat(columns(byModel.path("total"))).containsExactly("0.001060", "0.000120", "0.001200", "0.100000");
      assertThat(byModel.path("total").path("cost_usd").asText()).isEqualTo("0.101060");

      JsonNode byKey = json(gw.get("/admin/spend?group_by=key&from=" + from, MASTER).body());
      assertThat(byKey.path("data")).as("shadow calls are no key's spend").singleElement().satisfies(g -> {
        assertThat(g.path("group").asText()).isEqualTo("tester");
        assertThat(g.path("requests").asInt()).isEqualTo(4);
        assertThat(columns(g)).containsExactly("0.001060", "0.000120", "0.001200", "0.000000");
      });
      JsonNode byTeam = json(gw.get("/admin/spend?group_by=team&team=search&from=" + from, MASTER).body());
      assertThat(columns(byTeam.path("data").get(0))).containsExactly("0.001060", "0.000120", "0.001200", "0.000000");
      // by day: the rows may straddle midnight UTC, so the days' total
      JsonNode byDay = json(gw.get("/admin/spend?group_by=day&from=" + from, MASTER).body());
      assertThat(byDay.path("data")).isNotEmpty().allSatisfy(g -> assertThat(g.path("group").asText()).hasSize(10));
      assertThat(columns(byDay.path("total"))).containsExactly("0.001060", "0.000120", "0.001200", "0.100000");

      KeysCliTest.Run run = KeysCliTest.sluice("cost", "report", "--group-by", "model", "--from", from,
          "--url", gw.url(""), "--master-key", MASTER);
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("SPENT", "SAVED RESPONSE CACHE", "SAVED PROMPT CACHE", "SHADOW");
      List<String> lines = run.out().lines().toList();
      assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+"))
          .containsExactly("chat", "2", "0.000120", "0.000120", "0.000000", "0.000000", "0.000120"));
      assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+"))
          .containsExactly("pc", "1", "0.000820", "0.000000", "0.001200", "0.000000", "0.000820"));
      assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+"))
          .containsExactly("sh", "2", "0.000120", "0.000000", "0.000000", "0.100000", "0.100120"));
      assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+"))
          .containsExactly("TOTAL", "5", "0.001060", "0.000120", "0.001200", "0.100000", "0.101060"));
      KeysCliTest.Run bad = KeysCliTest.sluice("cost", "report", "--group-by", "colour", "--url", gw.url(""),
          "--master-key", MASTER);
      assertThat(bad.code()).isNotZero();
      assertThat(bad.err()).contains("group_by must be one of");
    }
  }
}
