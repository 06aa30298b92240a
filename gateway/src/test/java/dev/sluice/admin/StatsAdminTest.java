package dev.sluice.admin;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsRow;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsAdminTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final long M0 = T0.toEpochMilli() / 60_000;

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    upstream.dispatch(r -> r.body().contains("\"stream\":true") ? FakeResponse.openAiStream(OpenAiFixtures.helloStream())
        : r.body().contains("break me") ? FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":"
            + "\"server_error\"}}")
        : r.body().contains("refuse me") ? FakeResponse.json(400, "{\"error\":{\"message\":\"bad\",\"type\":"
            + "\"invalid_request_error\"}}") : FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    gateway = TestGateway.start(KeysApi.config(upstream.baseUrl(), ""));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void answersEveryMetricFromWhatThisGatewayRecorded() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(KeysApi.chat(gateway, TestGateway.KEY, "chat").statusCode()).isEqualTo(200);
    }
    assertThat(KeysApi.chat(gateway, TestGateway.KEY, "other").statusCode()).isEqualTo(200);
    assertThat(KeysApi.call(gateway, "POST", "/v1/chat/completions", TestGateway.KEY,
        "{\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"refuse me\"}]}").statusCode()).isEqualTo(400);
    assertThat(KeysApi.call(gateway, "POST", "/v1/chat/completions", TestGateway.KEY,
        OpenAiFixtures.streamRequest(true)).statusCode()).isEqualTo(200);
    assertThat(KeysApi.chat(gateway, "sk-wrong", "chat").statusCode()).isEqualTo(401); // not counted
    // Wait until all six were recorded (each is, as it ends: maybe just after its client has the answer).
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (requests("group_by=none").path("series").path(0).path("points").path(0).path("requests").asLong() < 6) {
      assertThat(System.nanoTime() - deadline).as("six requests recorded within 10 s").isNegative();
      Await.await(gateway.gateway().stats().flush());
    }

    JsonNode byModel = requests("metric=requests&group_by=model").path("series");
    assertThat(byModel).hasSize(2);
    assertThat(byModel.get(0).path("group").asText()).isEqualTo("chat");
    assertThat(byModel.get(0).path("points").get(0).path("requests").asLong()).isEqualTo(4);
    assertThat(byModel.get(1).path("group").asText()).isEqualTo("other");
    assertThat(byModel.get(1).path("points").get(0).path("requests").asLong()).isEqualTo(2);

    JsonNode errors = requests("metric=errors&model=other").path("series").get(0).path("points").get(0);
    assertThat(errors.path("errors").asLong()).isEqualTo(1);
    assertThat(errors.path("requests").asLong()).isEqualTo(2);

    JsonNode tokens = requests("metric=tokens&group_by=key").path("series");
    assertThat(tokens).hasSize(1);
    assertThat(tokens.get(0).path("group").asText()).isEqualTo("tester");
    assertThat(tokens.get(0).path("points").get(0).path("output").asLong()).isGreaterThanOrEqualTo(4 * 10 + 3);

    JsonNode latency = requests("metric=latency&group_by=target").path("series").get(0);
    assertThat(latency.path("group").asText()).isEqualTo("up/gpt-4o-mini");
    JsonNode l = latency.path("points").get(0);
    assertThat(l.path("count").asLong()).isEqualTo(6);
    assertThat(l.path("p50").asDouble()).isPositive().isLessThanOrEqualTo(l.path("p99").asDouble());
    assertThat(l.path("p99").asDouble()).isLessThanOrEqualTo(l.path("max").asDouble());
    JsonNode ttft = requests("metric=ttft").path("series").get(0).path("points").get(0);
    assertThat(ttft.path("count").asLong()).as("one streamed request").isEqualTo(1);
    assertThat(requests("metric=overhead").path("series").get(0).path("points").get(0).path("count").asLong())
        .isEqualTo(6);

    JsonNode cost = requests("metric=cost").path("series").get(0).path("points").get(0);
    Await.await(gateway.gateway().ledger().flush()); // the ledger's rows reach the store every 100 ms: now
    JsonNode spend = json(admin(gateway, "GET", "/admin/spend?group_by=key", null)).path("total");
    assertThat(cost.path("cost_usd").asText()).isEqualTo(spend.path("cost_usd").asText());
    assertThat(cost.path("cost_micros").asLong()).isEqualTo(new java.math.BigDecimal(cost.path("cost_usd").asText())
        .movePointRight(6).longValueExact());
  }

  @Test
  void bucketsRowsOfEveryReplicaByStepInTheDocumentedShape() throws Exception {
    Await.await(gateway.gateway().store().stats().upsert(java.util.stream.Stream.of(
        rows(M0, "r1", "smart", 1_000, 2_000), rows(M0 + 1, "r2", "smart", 3_000), rows(M0 + 7, "r1", "smart", 4_000),
        rows(M0 + 2, "r2", "fast", 100_000), rows(M0 + 10, "r1", "smart", 9_000)).flatMap(List::stream).toList()));
    JsonNode answer = json(admin(gateway, "GET", "/admin/stats?metric=latency&group_by=model&step=5m"
        + "&from=2026-03-01T10:00:00Z&to=" + T0.plusSeconds(600).toEpochMilli(), null));
    assertThat(answer.path("object").asText()).isEqualTo("sluice.stats");
    assertThat(answer.path("unit").asText()).isEqualTo("ms");
    assertThat(answer.path("group_by").asText()).isEqualTo("model");
    assertThat(answer.path("from").asText()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(answer.path("to").asText()).isEqualTo("2026-03-01T10:10:00Z");
    assertThat(answer.path("step").asText()).isEqualTo("5m");
    JsonNode series = answer.path("series");
    assertThat(series).extracting(s -> s.path("group").asText()).containsExactly("fast", "smart");
    JsonNode smart = series.get(1).path("points");
    assertThat(smart).hasSize(2); // 10:10 is outside [from, to)
    assertThat(smart.get(0).path("t").asText()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(smart.get(0).path("count").asLong()).isEqualTo(3);
    assertThat(smart.get(0).path("p99").asDouble()).isBetween(3.0, 3.03); // 3,000 µs, to HdrHistogram's precision
    assertThat(smart.get(1).path("t").asText()).isEqualTo("2026-03-01T10:05:00Z");
    assertThat(smart.get(1).path("max").asDouble()).isBetween(4.0, 4.04);

    JsonNode dayDefault = json(admin(gateway, "GET", "/admin/stats?metric=requests&from=2026-03-01&to=2026-03-02", null));
    assertThat(dayDefault.path("step").asText()).as("at most 300 points by default").isEqualTo("5m");
    assertThat(dayDefault.path("group_by").isNull()).isTrue();
    assertThat(dayDefault.path("series").get(0).path("group").isNull()).isTrue();
    assertThat(dayDefault.path("series").get(0).path("points")).extracting(p -> p.path("requests").asLong())
        .containsExactly(4L, 1L, 1L);

    // A step as long as the window: one point per group over the whole window (the console's
    // "top N by spend"), the same totals as the finer buckets add up to.
    JsonNode month = json(admin(gateway, "GET", "/admin/stats?metric=requests&group_by=model&step=31d"
        + "&from=2026-03-01&to=2026-04-01", null));
    assertThat(month.path("step").asText()).isEqualTo("31d");
    assertThat(month.path("series")).extracting(s -> s.path("group").asText() + " " + s.path("points").size() + " "
        + s.path("points").get(0).path("t").asText() + " " + s.path("points").get(0).path("requests").asLong())
        .containsExactly("fast 1 2026-03-01T00:00:00Z 1", "smart 1 2026-03-01T00:00:00Z 5");
    assertThat(admin(gateway, "GET", "/admin/stats?metric=cost&step=366d&from=2026-01-01&to=2027-01-01", null)
        .statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0} → 400 naming {1}")
  @CsvSource(delimiter = '|', value = {
      "metric=p99                                   | metric",
      "group_by=colour                              | group_by",
      "step=30s                                     | step",
      "step=0m                                      | step",
      "step=1m&from=2026-01-01&to=2026-03-01        | step",
      "from=yesterday                               | from",
      "from=2026-03-02&to=2026-03-01                | from",
      "colour=red                                   | colour",
      "model=a&model=b                              | model"})
  void invalidParametersAre400sNamingTheParameter(String query, String param) throws Exception {
    HttpResponse<String> res = admin(gateway, "GET", "/admin/stats?" + query, null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(json(res).path("error").path("param").asText()).isEqualTo(param);
    assertThat(json(res).path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void errorsAreCountedByErrorClassPerBucketAndAsOneSeriesPerClass() throws Exception {
    assertThat(KeysApi.chat(gateway, TestGateway.KEY, "chat").statusCode()).isEqualTo(200);
    assertThat(send("refuse me").statusCode()).isEqualTo(400);
    assertThat(send("break me").statusCode()).isEqualTo(502);
    assertThat(send("break me").statusCode()).isEqualTo(502);
    awaitRequests(4);

    JsonNode point = requests("metric=errors").path("series").get(0).path("points").get(0);
    assertThat(point.path("requests").asLong()).isEqualTo(4);
    assertThat(point.path("errors").asLong()).isEqualTo(3);
    JsonNode classes = point.path("error_classes");
    assertThat(classes.size()).as(classes.toString()).isEqualTo(2);
    java.util.Map<String, Long> byClass = new java.util.TreeMap<>();
    classes.fields().forEachRemaining(e -> byClass.put(e.getKey(), e.getValue().asLong()));
    assertThat(byClass.values()).as("the classes add up to the errors").containsExactlyInAnyOrder(1L, 2L);

    JsonNode series = requests("metric=errors&group_by=error_class");
    assertThat(series.path("group_by").asText()).isEqualTo("error_class");
    assertThat(series.path("series")).extracting(s -> s.path("group").asText())
        .containsExactlyElementsOf(byClass.keySet());
    for (JsonNode s : series.path("series")) {
      JsonNode p = s.path("points").get(0);
      assertThat(p.path("errors").asLong()).isEqualTo(byClass.get(s.path("group").asText()));
      assertThat(p.path("requests").asLong()).as("the bucket's requests, for the rate").isEqualTo(4);
    }
    HttpResponse<String> wrong = admin(gateway, "GET", "/admin/stats?metric=latency&group_by=error_class", null);
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(json(wrong).path("error").path("param").asText()).isEqualTo("group_by");
  }

  @Test
  void aKeyReadsOnlyItsOwnStatsOnTheTenantRoute() throws Exception {
    String other = KeysApi.createKey(gateway, "{\"name\":\"other-app\"}").path("key").asText();
    for (int i = 0; i < 3; i++) {
      assertThat(KeysApi.chat(gateway, other, "other").statusCode()).isEqualTo(200);
    }
    assertThat(KeysApi.chat(gateway, TestGateway.KEY, "chat").statusCode()).isEqualTo(200);
    assertThat(send("break me").statusCode()).isEqualTo(502);
    awaitRequests(5);
    long now = System.currentTimeMillis();
    String window = "&step=1d&from=" + (now - 3_600_000) + "&to=" + (now + 60_000);

    JsonNode mine = json(KeysApi.call(gateway, "GET", "/v1/sluice/stats?metric=errors&group_by=model" + window,
        TestGateway.KEY, null));
    assertThat(mine.path("filters").path("key").asText()).isEqualTo("tester");
    assertThat(mine.path("series")).extracting(s -> s.path("group").asText()).containsExactly("chat");
    JsonNode p = mine.path("series").get(0).path("points").get(0);
    assertThat(p.path("requests").asLong()).isEqualTo(2);
    assertThat(p.path("errors").asLong()).isEqualTo(1);
    JsonNode theirs = json(KeysApi.call(gateway, "GET", "/v1/sluice/stats?metric=latency" + window, other, null));
    assertThat(theirs.path("series").get(0).path("points").get(0).path("count").asLong()).isEqualTo(3);
    JsonNode all = json(admin(gateway, "GET", "/admin/stats?metric=requests" + window, null));
    assertThat(all.path("series").get(0).path("points").get(0).path("requests").asLong()).isEqualTo(5);

    for (String q : new String[] {"key=other-app", "team=x", "group_by=key", "group_by=team"}) {
      HttpResponse<String> res = KeysApi.call(gateway, "GET", "/v1/sluice/stats?" + q, TestGateway.KEY, null);
      assertThat(res.statusCode()).as(q).isEqualTo(400);
      assertThat(json(res).path("error").path("param").asText()).as(q).isEqualTo(q.substring(0, q.indexOf('=')));
    }
  }

  @Test
  void aClientKeyCannotReadStats() throws Exception {
    assertThat(KeysApi.call(gateway, "GET", "/admin/stats", TestGateway.KEY, null).statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> send(String content) throws Exception {
    return KeysApi.call(gateway, "POST", "/v1/chat/completions", TestGateway.KEY,
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
  }

  /** Flushes until the stats hold {@code n} requests (each is recorded as it ends, maybe just after its answer). */
  private void awaitRequests(long n) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (requests("group_by=none").path("series").path(0).path("points").path(0).path("requests").asLong() < n) {
      assertThat(System.nanoTime() - deadline).as(n + " requests recorded within 10 s").isNegative();
      Await.await(gateway.gateway().stats().flush());
    }
  }

  private JsonNode requests(String query) throws Exception {
    long now = System.currentTimeMillis();
    HttpResponse<String> res = admin(gateway, "GET", "/admin/stats?" + (query.startsWith("group_by=none")
        ? "metric=requests&" : "") + query + "&step=1d&from=" + (now - 3_600_000) + "&to=" + (now + 60_000), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return json(res);
  }

  /** The same requests in the two grains these queries read: per model, and per provider (no grouping). */
  private static List<StatsRow> rows(long minute, String replica, String model, long... micros) {
    Histogram h = new Histogram(2);
    for (long v : micros) {
      h.recordValue(v);
    }
    ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    byte[] encoded = Arrays.copyOf(b.array(), h.encodeIntoByteBuffer(b));
    return List.of(new StatsRow(StatsGrain.MODEL, minute, replica, model, null, null, null, null, micros.length, 0, 0,
        0, 0, encoded, null, encoded), new StatsRow(StatsGrain.PROVIDER, minute, replica, null, "up", null, null, null,
        micros.length, 0, 0, 0, 0, encoded, null, encoded));
  }
}
