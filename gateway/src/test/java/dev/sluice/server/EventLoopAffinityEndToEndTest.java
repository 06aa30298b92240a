package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request stays on the event loop that accepted its connection, with the whole pipeline on (a
 * hard budget whose spend is loaded from the store, limits): each loop then calls the provider
 * through its own upstream pool. Observable from outside: client connections that land on every
 * front loop in turn open one upstream connection per loop. A step of the pipeline that carried
 * requests over to another loop (a cached future bound to the context of the request that loaded
 * it did) would funnel them all into that loop's single connection, and hop back for the answer.
 */
class EventLoopAffinityEndToEndTest {
  private static final String KEY = "sk-affinity-client-0001";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path dir;

  @Test
  void requestsOnEveryFrontLoopUseTheirOwnLoopsUpstreamConnection() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors()); // one front verticle per CPU
    String yaml = """
        server: { host: 127.0.0.1 }
        providers:
          - { name: up, type: openai-compatible, base_url: "http://127.0.0.1:%d/v1" }
        models:
          - name: chat
            limits: { rpm: 100000 }
            targets: [ { provider: up, model: m, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
        store: { url: "sqlite:%s/ledger.db" }
        teams:
          - { name: t, limits: { rpm: 100000 }, budget: { usd: 1000, period: total, mode: hard } }
        keys:
          - { key: %s, name: app, team: t, limits: { rpm: 100000 }, budget: { usd: 1000, period: total, mode: hard } }
        """.formatted(upstream.port(), dir, KEY);
    try (TestGateway gw = TestGateway.start(yaml)) {
      int requests = 4 * loops;
      for (int i = 0; i < requests; i++) {
        // A new client each time: a new connection, which the server hands to its loops in turn.
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
            .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + KEY)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(OpenAiFixtures.SIMPLE_REQUEST))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }

      assertThat(upstream.requestCount()).isEqualTo(requests);
      assertThat(upstream.connectionCount()).as("one upstream connection per front event loop").isEqualTo(loops);
    }
  }
}
