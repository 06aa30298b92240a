package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RedisTestServer;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code redis:}, replicas share answers: one's miss is the other's hit; tenants stay apart there too. */
class ResponseCacheAcrossReplicasTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static final String OTHER_TEAM = "sk-test-client-key-blue";
  private static final String HI = "{\"model\":\"chat\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private String config(String redisUri) {
    return """
        server: { host: 127.0.0.1 }
        redis: { url: %s }
        providers:
          - { name: up, type: openai-compatible, base_url: %s }
        models:
          - name: chat
            targets: [ { provider: up, model: m1 } ]
            cache: { ttl: 1h }
        keys:
          - { key: %s, name: alice, team: red }
          - { key: %s, name: carol, team: blue }
        """.formatted(redisUri, upstream.baseUrl(), TestGateway.KEY, OTHER_TEAM);
  }

  private static HttpResponse<String> post(TestGateway gw, String key, String body) throws Exception {
    return gw.http().send(gw.request("/v1/chat/completions").setHeader("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String content(HttpResponse<String> r) {
    return Sse.json(r.body()).get("choices").get(0).get("message").get("content").asText();
  }

  @Test
  void aMissOnOneReplicaIsAHitOnTheOther() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.dispatch(r -> FakeResponse.json(200,
        OpenAiFixtures.COMPLETION.replace("Hello! How can I help?", "answer " + n.incrementAndGet())));
    try (RedisTestServer redis = RedisTestServer.startOnFreePort();
        TestGateway a = TestGateway.start(config(redis.uri()));
        TestGateway b = TestGateway.start(config(redis.uri()))) {
      HttpResponse<String> first = post(a, TestGateway.KEY, HI);
      assertThat(first.headers().firstValue("x-sluice-cache")).hasValue("miss");
      awaitKeys(redis, 1); // the SET leaves as the answer is written; Redis may take it a moment later
      HttpResponse<String> other = post(b, TestGateway.KEY, HI);
      assertThat(other.headers().firstValue("x-sluice-cache")).hasValue("hit");
      assertThat(content(other)).isEqualTo("answer 1");
      assertThat(other.body()).isEqualTo(first.body());
      assertThat(upstream.requestCount()).isEqualTo(1);

      // Another team's identical body on the other replica: never the shared answer.
      HttpResponse<String> blue = post(b, OTHER_TEAM, HI);
      assertThat(blue.headers().firstValue("x-sluice-cache")).hasValue("miss");
      assertThat(content(blue)).isEqualTo("answer 2");
      assertThat(content(post(a, OTHER_TEAM, HI))).isEqualTo("answer 2");
      assertThat(content(post(a, TestGateway.KEY, HI))).isEqualTo("answer 1");
      assertThat(upstream.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void aRedisThatIsDownIsAMissNotAnError() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    try (RedisTestServer redis = RedisTestServer.startOnFreePort();
        TestGateway a = TestGateway.start(config(redis.uri()))) {
      redis.stop();
      HttpResponse<String> r = post(a, TestGateway.KEY, HI.replace("Hi", "Redis down"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-sluice-cache")).hasValue("miss");
      // The in-process tier still serves it.
      assertThat(post(a, TestGateway.KEY, HI.replace("Hi", "Redis down")).headers().firstValue("x-sluice-cache"))
          .hasValue("hit");
    }
  }

  /** Waits (up to 10 s) until Redis holds at least {@code n} keys, asking it with DBSIZE over a plain socket. */
  private static void awaitKeys(RedisTestServer redis, int n) throws Exception {
    long end = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", redis.port())) {
        s.getOutputStream().write("DBSIZE\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String reply = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
            java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        if (reply != null && reply.startsWith(":") && Long.parseLong(reply.substring(1)) >= n) {
          return;
        }
      }
      assertThat(System.nanoTime() - end).as("Redis never got the answer").isNegative();
      Thread.sleep(10);
    }
  }
}
