package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.RowKind;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The response cache through the real server: headers, tenant isolation, TTL, what is never stored, coalescing, ledger. */
class ResponseCacheEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  static final String BOB = "sk-test-client-key-bob";
  static final String CAROL = "sk-test-client-key-carol";
  static final String DAVE = "sk-test-client-key-dave";
  static final String ERIN = "sk-test-client-key-erin";

  static final String HI = "{\"model\":\"chat\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  /** Model {@code chat} caches ({@code cacheYaml}); {@code plain} does not. Priced 1 µUSD/input token, 2/output. */
  private String config(String cacheYaml, String extraModels) {
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: up, type: openai-compatible, base_url: %s }
        models:
          - name: chat
            targets: [ { provider: up, model: m1, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
            cache: %s
          - name: plain
            targets: [ { provider: up, model: m1 } ]
        %s
        keys:
          - { key: %s, name: alice, team: red }
          - { key: %s, name: bob, team: red }
          - { key: %s, name: carol, team: blue }
          - { key: %s, name: dave }
          - { key: %s, name: erin }
        """.formatted(upstream.baseUrl(), cacheYaml, extraModels.indent(2).stripTrailing(), TestGateway.KEY, BOB,
        CAROL, DAVE, ERIN);
  }

  private static String model(String name, String cacheYaml) {
    return """
        - name: %s
          targets: [ { provider: up, model: m1 } ]
          cache: %s
        """.formatted(name, cacheYaml);
  }

  private static HttpResponse<String> postAs(TestGateway gw, String key, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = gw.request("/v1/chat/completions").setHeader("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(TestGateway gw, String body, String... headers) throws Exception {
    return postAs(gw, TestGateway.KEY, body, headers);
  }

  private static String cacheHeader(HttpResponse<String> r) {
    return r.headers().firstValue("x-sluice-cache").orElse(null);
  }

  private static String text(HttpResponse<String> r) {
    return Sse.json(r.body()).get("choices").get(0).get("message").get("content").asText();
  }

  private static String completion(String content) {
    return COMPLETION.replace("Hello! How can I help?", content);
  }

  @Test
  void secondIdenticalRequestIsAHitWithAgeAndNoUpstreamCall() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("{ ttl: 1h }", ""))) {
      HttpResponse<String> first = post(gw, HI);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(cacheHeader(first)).isEqualTo("miss");
      assertThat(first.headers().firstValue("age")).isEmpty();
      HttpResponse<String> second = post(gw, HI);
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(cacheHeader(second)).isEqualTo("hit");
      assertThat(second.headers().firstValue("age")).hasValue("0");
      assertThat(second.body()).isEqualTo(first.body()); // an OpenAI upstream's body, byte for byte
      assertThat(second.headers().firstValue("x-sluice-cost-usd")).hasValue("0.000000");
      assertThat(second.headers().firstValue("x-sluice-provider")).hasValue("up");
      assertThat(upstream.requestCount()).isEqualTo(1);

      // The key's whitespace, field order and stream/user fields do not matter; the messages do.
      String reordered = "{ \"messages\": [{\"content\":\"Hi\", \"role\":\"user\"}], \"temperature\": 0.0,"
          + " \"user\": \"someone\", \"model\": \"chat\" }";
      assertThat(cacheHeader(post(gw, reordered))).isEqualTo("hit");
      assertThat(cacheHeader(post(gw, HI.replace("Hi", "Hi!")))).isEqualTo("miss");
      assertThat(cacheHeader(post(gw, HI.replace("\"temperature\":0", "\"temperature\":0,\"seed\":7"))))
          .isEqualTo("miss");
      assertThat(upstream.requestCount()).isEqualTo(3);

      // A model without cache: no header, always called.
      HttpResponse<String> plain = post(gw, HI.replace("\"chat\"", "\"plain\""));
      assertThat(plain.headers().firstValue("x-sluice-cache")).isEmpty();
      post(gw, HI.replace("\"chat\"", "\"plain\""));
      assertThat(upstream.requestCount()).isEqualTo(5);
      String scrape = gw.get("/metrics", null).body();
      assertThat(scrape).contains("sluice_response_cache_total{result=\"hit\"} 2.0")
          .contains("sluice_response_cache_total{result=\"miss\"} 3.0");
      assertThat(scrape).containsPattern("sluice_response_cache_bytes [1-9]");
    }
  }

  @Test
  void identicalBodiesFromAnotherTeamOrKeyAreNeverServed() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.dispatch(r -> FakeResponse.json(200, completion("answer " + n.incrementAndGet())));
    String models = model("bykey", "{ scope: key }") + model("everyone", "{ scope: global }");
    try (TestGateway gw = TestGateway.start(config("{ scope: team }", models))) {
      assertThat(text(postAs(gw, TestGateway.KEY, HI))).isEqualTo("answer 1");
      HttpResponse<String> teammate = postAs(gw, BOB, HI);
      assertThat(cacheHeader(teammate)).isEqualTo("hit");
      assertThat(text(teammate)).isEqualTo("answer 1");
      HttpResponse<String> otherTeam = postAs(gw, CAROL, HI);
      assertThat(cacheHeader(otherTeam)).isEqualTo("miss");
      assertThat(text(otherTeam)).isEqualTo("answer 2");
      // Keys without a team share with nobody under scope team.
      assertThat(text(postAs(gw, DAVE, HI))).isEqualTo("answer 3");
      assertThat(text(postAs(gw, ERIN, HI))).isEqualTo("answer 4");
      assertThat(text(postAs(gw, DAVE, HI))).isEqualTo("answer 3");
      assertThat(text(postAs(gw, CAROL, HI))).isEqualTo("answer 2");
      assertThat(text(postAs(gw, BOB, HI))).isEqualTo("answer 1");

      String byKey = HI.replace("\"chat\"", "\"bykey\"");
      assertThat(text(postAs(gw, TestGateway.KEY, byKey))).isEqualTo("answer 5");
      assertThat(text(postAs(gw, BOB, byKey))).isEqualTo("answer 6"); // same team, other key
      assertThat(text(postAs(gw, TestGateway.KEY, byKey))).isEqualTo("answer 5");

      String global = HI.replace("\"chat\"", "\"everyone\"");
      assertThat(text(postAs(gw, TestGateway.KEY, global))).isEqualTo("answer 7");
      assertThat(text(postAs(gw, CAROL, global))).isEqualTo("answer 7");
      assertThat(text(postAs(gw, ERIN, global))).isEqualTo("answer 7");
      assertThat(upstream.requestCount()).isEqualTo(7);
    }
  }

  @Test
  void noCacheRefreshesTheEntryAndNoStoreBypassesIt() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.dispatch(r -> FakeResponse.json(200, completion("answer " + n.incrementAndGet())));
    try (TestGateway gw = TestGateway.start(config("{ ttl: 1h }", ""))) {
      assertThat(text(post(gw, HI))).isEqualTo("answer 1");
      HttpResponse<String> refreshed = post(gw, HI, "cache-control", "no-cache");
      assertThat(cacheHeader(refreshed)).isEqualTo("refresh");
      assertThat(text(refreshed)).isEqualTo("answer 2");
      HttpResponse<String> after = post(gw, HI);
      assertThat(cacheHeader(after)).isEqualTo("hit");
      assertThat(text(after)).isEqualTo("answer 2"); // the refreshed answer replaced the old one

      HttpResponse<String> bypass = post(gw, HI, "cache-control", "max-age=0, No-Store");
      assertThat(cacheHeader(bypass)).isEqualTo("bypass");
      assertThat(text(bypass)).isEqualTo("answer 3");
      assertThat(text(post(gw, HI))).isEqualTo("answer 2"); // no-store neither read nor wrote

      String fresh = HI.replace("Hi", "Hello");
      assertThat(cacheHeader(post(gw, fresh, "cache-control", "no-store"))).isEqualTo("bypass");
      assertThat(cacheHeader(post(gw, fresh))).isEqualTo("miss");
      assertThat(upstream.requestCount()).isEqualTo(5);
    }
  }

  @Test
  void answersExpireAfterTheTtlAndAClientTtlOnlyShortensIt() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.dispatch(r -> FakeResponse.json(200, completion("answer " + n.incrementAndGet())));
    FakeTicker ticker = new FakeTicker();
    try (TestGateway gw = TestGateway.start(config("{ ttl: 60s }", ""), ticker)) {
      assertThat(text(post(gw, HI))).isEqualTo("answer 1");
      ticker.advanceSeconds(59);
      HttpResponse<String> old = post(gw, HI);
      assertThat(cacheHeader(old)).isEqualTo("hit");
      assertThat(old.headers().firstValue("age")).hasValue("59");
      ticker.advanceSeconds(2);
      assertThat(cacheHeader(post(gw, HI))).isEqualTo("miss");

      String shortLived = HI.replace("Hi", "short");
      assertThat(cacheHeader(post(gw, shortLived, "x-sluice-cache-ttl", "10"))).isEqualTo("miss");
      ticker.advanceSeconds(9);
      assertThat(cacheHeader(post(gw, shortLived))).isEqualTo("hit");
      ticker.advanceSeconds(2);
      assertThat(cacheHeader(post(gw, shortLived))).isEqualTo("miss");

      // A longer client TTL is capped at the configured one.
      String capped = HI.replace("Hi", "capped");
      post(gw, capped, "x-sluice-cache-ttl", "7200");
      ticker.advanceSeconds(61);
      assertThat(cacheHeader(post(gw, capped))).isEqualTo("miss");

      HttpResponse<String> bad = post(gw, HI, "x-sluice-cache-ttl", "soon");
      assertThat(bad.statusCode()).isEqualTo(400);
      JsonNode error = Sse.json(bad.body()).get("error");
      assertThat(error.get("param").asText()).isEqualTo("x-sluice-cache-ttl");
      assertThat(error.get("message").asText()).contains("positive whole number of seconds");
      assertThat(post(gw, HI, "x-sluice-cache-ttl", "0").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void sampledRequestsAreNotCachedUnlessTheEntryIsNondeterministic() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("{ ttl: 1h }", model("creative", "{ nondeterministic: true }")))) {
      String warm = HI.replace("\"temperature\":0", "\"temperature\":0.7");
      HttpResponse<String> first = post(gw, warm);
      assertThat(cacheHeader(first)).isEqualTo("bypass");
      assertThat(cacheHeader(post(gw, warm))).isEqualTo("bypass");
      String unset = OpenAiFixtures.SIMPLE_REQUEST; // no temperature: the providers' default, 1
      assertThat(cacheHeader(post(gw, unset))).isEqualTo("bypass");
      assertThat(cacheHeader(post(gw, unset))).isEqualTo("bypass");
      assertThat(upstream.requestCount()).isEqualTo(4);

      String creative = warm.replace("\"chat\"", "\"creative\"");
      assertThat(cacheHeader(post(gw, creative))).isEqualTo("miss");
      assertThat(cacheHeader(post(gw, creative))).isEqualTo("hit");
      String creativeUnset = unset.replace("\"chat\"", "\"creative\"");
      assertThat(cacheHeader(post(gw, creativeUnset))).isEqualTo("miss");
      assertThat(cacheHeader(post(gw, creativeUnset))).isEqualTo("hit");
      assertThat(upstream.requestCount()).isEqualTo(6);
    }
  }

  @Test
  void errorsRefusalsFilteredAndInterruptedAnswersAreNeverStored() throws Exception {
    try (TestGateway gw = TestGateway.start(config("{ ttl: 1h }", ""))) {
      upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"))
          .enqueue(FakeResponse.json(200, completion("after the error")));
      assertThat(post(gw, HI).statusCode()).isEqualTo(400);
      assertThat(text(post(gw, HI))).isEqualTo("after the error");

      String refused = COMPLETION.replace("\"content\":\"Hello! How can I help?\",\"refusal\":null",
          "\"content\":null,\"refusal\":\"I can't help with that.\"");
      String r1 = HI.replace("Hi", "refuse me");
      upstream.enqueue(FakeResponse.json(200, refused)).enqueue(FakeResponse.json(200, refused));
      post(gw, r1);
      assertThat(cacheHeader(post(gw, r1))).isEqualTo("miss");

      String filtered = COMPLETION.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"content_filter\"");
      String f1 = HI.replace("Hi", "filter me");
      upstream.enqueue(FakeResponse.json(200, filtered)).enqueue(FakeResponse.json(200, filtered));
      post(gw, f1);
      assertThat(cacheHeader(post(gw, f1))).isEqualTo("miss");

      String s1 = HI.replace("Hi", "stream me").replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
      upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).cutAfter(3))
          .enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()));
      HttpResponse<String> cut = post(gw, s1);
      assertThat(cut.body()).doesNotContain("[DONE]");
      HttpResponse<String> whole = post(gw, s1);
      assertThat(cacheHeader(whole)).isEqualTo("miss");
      assertThat(whole.body()).contains("data: [DONE]");

      String streamedRefusal = HI.replace("Hi", "refuse the stream").replace("\"temperature\":0",
          "\"temperature\":0,\"stream\":true");
      List<String> refusing = List.of(OpenAiFixtures.chunk("{\"role\":\"assistant\",\"refusal\":\"\"}", null),
          OpenAiFixtures.chunk("{\"refusal\":\"No.\"}", null), OpenAiFixtures.chunk("{}", "stop"));
      upstream.enqueue(FakeResponse.openAiStream(refusing)).enqueue(FakeResponse.openAiStream(refusing));
      post(gw, streamedRefusal);
      assertThat(cacheHeader(post(gw, streamedRefusal))).isEqualTo("miss");
      assertThat(upstream.requestCount()).isEqualTo(10);

      assertThat(cacheHeader(post(gw, s1))).isEqualTo("hit"); // the complete stream was stored
      assertThat(upstream.requestCount()).isEqualTo(10);
    }
  }

  @Test
  void aStreamedAnswerServesWholeRequestsAndAWholeAnswerServesStreams() throws Exception {
    try (TestGateway gw = TestGateway.start(config("{ ttl: 1h }", ""))) {
      String streamed = HI.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
      upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()));
      assertThat(cacheHeader(post(gw, streamed))).isEqualTo("miss");
      HttpResponse<String> whole = post(gw, HI);
      assertThat(cacheHeader(whole)).isEqualTo("hit");
      JsonNode body = Sse.json(whole.body());
      assertThat(body.get("object").asText()).isEqualTo("chat.completion");
      assertThat(body.get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hello!");
      assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
      assertThat(body.get("usage").get("prompt_tokens").asLong()).isEqualTo(9);

      String other = HI.replace("Hi", "Other");
      upstream.enqueue(FakeResponse.json(200, COMPLETION));
      post(gw, other);
      HttpResponse<String> replay = post(gw, other.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true"));
      assertThat(cacheHeader(replay)).isEqualTo("hit");
      assertThat(replay.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
      StringBuilder text = new StringBuilder();
      for (String data : Sse.dataLines(replay.body())) {
        if (!data.equals("[DONE]")) {
          for (JsonNode c : Sse.json(data).get("choices")) {
            text.append(c.get("delta").path("content").asText(""));
          }
        }
      }
      assertThat(text.toString()).isEqualTo("Hello! How can I help?");
      assertThat(upstream.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void concurrentIdenticalMissesCallTheProviderOnceWhenCoalescing() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    upstream.dispatch(r -> r.body().contains("\"stream\":true")
        ? FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(1, release)
        : FakeResponse.json(200, COMPLETION).latency(100));
    try (TestGateway gw = TestGateway.start(config("{ coalesce: true }", ""))) {
      String streamed = HI.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      calls.add(gw.http().sendAsync(gw.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(
          streamed)).build(), HttpResponse.BodyHandlers.ofString()));
      until(() -> upstream.requestCount() == 1, Duration.ofSeconds(20)); // the leader's stream is held
      for (int i = 1; i < 20; i++) {
        String body = i % 2 == 0 ? streamed : HI; // streams and whole requests coalesce alike
        calls.add(gw.http().sendAsync(gw.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString()));
      }
      until(() -> gw.get("/metrics", null).body().contains("sluice_response_cache_coalesced 19.0"),
          Duration.ofSeconds(20));
      assertThat(upstream.requestCount()).isEqualTo(1);
      release.complete(null);
      int hits = 0;
      for (var call : calls) {
        HttpResponse<String> r = call.get(20, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Hel");
        hits += "hit".equals(cacheHeader(r)) ? 1 : 0;
      }
      assertThat(hits).isEqualTo(19);
      assertThat(upstream.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void whenTheLeaderFailsFollowersCallOnTheirOwn() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    AtomicInteger n = new AtomicInteger();
    upstream.dispatch(r -> n.incrementAndGet() == 1
        ? FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(1, release).cutAfter(2)
        : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("{ coalesce: true }", ""))) {
      String streamed = HI.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
      var leader = gw.http().sendAsync(gw.request("/v1/chat/completions").POST(
          HttpRequest.BodyPublishers.ofString(streamed)).build(), HttpResponse.BodyHandlers.ofString());
      until(() -> upstream.requestCount() == 1, Duration.ofSeconds(20));
      List<CompletableFuture<HttpResponse<String>>> followers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        followers.add(gw.http().sendAsync(gw.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(HI))
            .build(), HttpResponse.BodyHandlers.ofString()));
      }
      until(() -> gw.get("/metrics", null).body().contains("sluice_response_cache_coalesced 3.0"),
          Duration.ofSeconds(20));
      release.complete(null);
      assertThat(leader.get(20, TimeUnit.SECONDS).body()).doesNotContain("[DONE]"); // interrupted
      for (var f : followers) {
        HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200); // not the leader's failure
        assertThat(text(r)).isEqualTo("Hello! How can I help?");
      }
      assertThat(upstream.requestCount()).isBetween(2, 4); // each follower on its own (a later one may hit)
    }
  }

  @Test
  void aHitIsALedgerRowCostingNothingThatSavedWhatTheOriginalCost() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("{ ttl: 1h }", ""))) {
      HttpResponse<String> miss = post(gw, HI);
      assertThat(miss.headers().firstValue("x-sluice-cost-usd")).hasValue("0.000039"); // 19 in + 10 out × 2
      assertThat(cacheHeader(postAs(gw, BOB, HI))).isEqualTo("hit");
      gw.gateway().ledger().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<LedgerRow> rows = gw.gateway().store().ledger().rowsSince(Instant.EPOCH).toCompletionStage()
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(rows).hasSize(2);
      LedgerRow call = rows.stream().filter(r -> r.kind() == RowKind.CALL).findFirst().orElseThrow();
      LedgerRow hit = rows.stream().filter(r -> r.kind() == RowKind.CACHE_HIT).findFirst().orElseThrow();
      assertThat(call.costMicros()).isEqualTo(39);
      assertThat(call.savedMicros()).isZero();
      assertThat(hit.costMicros()).isZero();
      assertThat(hit.savedMicros()).isEqualTo(call.costMicros());
      assertThat(hit.keyName()).isEqualTo("bob");
      assertThat(hit.team()).isEqualTo("red");
      assertThat(hit.modelEntry()).isEqualTo("chat");
      assertThat(hit.requestId()).isNotEqualTo(call.requestId());
      assertThat(hit.inputTokens() + hit.outputTokens()).isZero();
    }
  }

  /** Polls {@code condition} until it holds, failing after {@code within}. */
  private static void until(java.util.concurrent.Callable<Boolean> condition, Duration within) throws Exception {
    long end = System.nanoTime() + within.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime() - end).as("condition still false after %s", within).isNegative();
      Thread.sleep(20);
    }
  }
}
