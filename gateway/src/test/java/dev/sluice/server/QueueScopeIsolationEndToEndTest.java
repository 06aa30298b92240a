package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RedisTestServer;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One tenant's backlog does not shed another tenant: a request's predicted wait in the admission
 * queue counts only the waiters of the limit it waits for, and a waiter whose client hung up leaves
 * the queue at once. Over real sockets, in process and with limits shared through Redis.
 */
class QueueScopeIsolationEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static final String KEY_B = "sk-test-other-key-456";
  private static final String WIDE = "{\"model\":\"wide\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String NARROW = "{\"model\":\"narrow\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final int HUNG_UP = -1;

  private String config(String extra) {
    return """
        server: { host: 127.0.0.1 }
        providers: [ { name: up, type: openai-compatible, base_url: %s } ]
        models:
          - name: wide
            targets: [ { provider: up, model: w } ]
          - name: narrow
            targets: [ { provider: up, model: n, limits: { max_concurrency: 4 } } ]
        keys:
          - { key: %s, name: app-a, limits: { rpm: 60 } }
          - { key: %s, name: app-b }
        admission: { max_queue: 1000, max_wait: 30s }
        %s
        """.formatted(upstream.baseUrl(), TestGateway.KEY, KEY_B, extra);
  }

  @Test
  void aHungUpBacklogOfOneKeyShedsNoneOfAnotherKeysBurstOnANarrowTarget() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION).latency(200));
    try (TestGateway gw = TestGateway.start(config(""))) {
      backlogThenBurst(gw);
    }
  }

  @Test
  void aHungUpBacklogOfOneKeyShedsNoneOfAnotherKeysBurstWithLimitsSharedThroughRedis() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION).latency(200));
    try (RedisTestServer redis = RedisTestServer.startOnFreePort();
        TestGateway gw = TestGateway.start(config("redis: { url: " + redis.uri() + " }"))) {
      backlogThenBurst(gw);
    }
  }

  private void backlogThenBurst(TestGateway gw) throws Exception {
    // A fresh gateway's first requests build tokenizers and connections: not what should time out
    // the backlog's clients.
    for (String model : List.of(WIDE, NARROW)) {
      assertThat(send(gw, model, KEY_B, 1, 1, Duration.ofSeconds(20))).containsExactly(200);
    }

    // Key A (60 rpm): its burst of 60 goes through, the rest queue for the refill (one a second)
    // and their clients hang up after 3 s. 130 rather than 100 requests, so the backlog lasts long
    // enough for the queue to have learnt key A's pace (a wait predictor says nothing before that).
    List<Integer> backlog = send(gw, WIDE, TestGateway.KEY, 130, 20, Duration.ofSeconds(3));
    assertThat(backlog).as("the backlog's clients hung up").contains(HUNG_UP);

    // At once, key B (no limits): 40 parallel requests for a target that serves 4 at a time at
    // 200 ms each, about 2 s of work. None waits for key A's rpm, so none may be shed for it.
    long start = System.nanoTime();
    List<Integer> burst = send(gw, NARROW, KEY_B, 40, 40, Duration.ofSeconds(60));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(burst).as("key B's burst").hasSize(40).containsOnly(200);
    assertThat(tookMs).as("well within max_wait, even on a loaded machine").isLessThan(25_000);
    assertThat(upstream.maxInFlight()).isLessThanOrEqualTo(4 + 20);

    // Key A's next request does not stand behind the requests its hung-up clients left: they left.
    assertThat(send(gw, WIDE, TestGateway.KEY, 1, 1, Duration.ofSeconds(20))).containsExactly(200);
  }

  /** Sends {@code requests} at {@code concurrency}; each status, or {@link #HUNG_UP} when the client gave up. */
  private static List<Integer> send(TestGateway gw, String body, String key, int requests, int concurrency,
      Duration clientTimeout) throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      slots.acquire();
      HttpRequest req = gw.request("/v1/chat/completions").timeout(clientTimeout)
          .setHeader("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
      // A client timeout closes the connection: the gateway sees the client hang up.
      all.add(gw.http().sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((res, err) -> {
        statuses.add(err == null ? res.statusCode() : HUNG_UP);
        slots.release();
        return null;
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    return List.copyOf(statuses);
  }
}
