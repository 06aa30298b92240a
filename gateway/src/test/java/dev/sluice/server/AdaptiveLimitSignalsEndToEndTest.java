package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Await;
import dev.sluice.testing.HttpsMock;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.SilentServer;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a target's adaptive concurrency limit learns from an attempt is the provider's doing, not the
 * connection's: latency is counted from when the request is written on a connection, not from when
 * the attempt began waiting for one, and a connection that cannot be opened in time is not the
 * provider shedding load. A request that waits for a slow TLS handshake (a cold pool under a burst, on
 * busy event loops) must not cut the limit, or it refuses streams the provider would have served.
 * Real sockets: an HTTPS mock behind a TCP relay that holds the handshake as long as the test wants, a
 * server that never finishes a handshake; {@code GET /admin/providers} shows what the limit learned.
 */
class AdaptiveLimitSignalsEndToEndTest {
  private static final String MASTER = "sk-master-limit-latency-0123456789";

  @RegisterExtension
  static final HttpsMock https = new HttpsMock();
  @RegisterExtension
  static final SilentServer silent = new SilentServer();

  @Test
  void theWaitForAConnectionIsNotTheProvidersLatency() throws Exception {
    HeldRelay relay = new HeldRelay(Integer.parseInt(https.mock().baseUrl().replaceAll(".*:(\\d+).*", "$1")));
    String yaml = """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: slowdial, type: openai-compatible, base_url: "https://127.0.0.1:%d/fault/latency=1ms/v1", ca_file: "%s" }
        models:
          - { name: chat, targets: [ { provider: slowdial, model: m } ] }
        keys:
          - { key: %s, name: app }
        """.formatted(MASTER, relay.port, https.authority(), TestGateway.KEY);
    try (TestGateway gw = TestGateway.start(yaml)) {
      JsonNode before = target(gw, "slowdial/m");
      assertThat(before.path("concurrency").path("latency_ms").path("baseline").isNull())
          .as("no success yet, no baseline").isTrue();

      CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return gw.post("/v1/chat/completions", OpenAiFixtures.SIMPLE_REQUEST);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Await.until("the gateway connects to the provider", () -> relay.acceptedAtNanos.get() != 0, Duration.ofSeconds(30));
      // The handshake is held for 600 ms by the test's own timer; how long it really was is measured.
      Promise<Long> released = Promise.promise();
      https.vertx().setTimer(600, id -> released.complete(relay.release()));
      long heldNanos = Await.await(released.future()) - relay.acceptedAtNanos.get();
      HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

      long ttftMs = attemptTtftMs(r);
      assertThat(ttftMs).as("the client waited for the handshake").isGreaterThanOrEqualTo(heldNanos / 1_000_000);
      JsonNode latency = target(gw, "slowdial/m").path("concurrency").path("latency_ms");
      double judged = latency.path("smoothed").asDouble(-1);
      assertThat(judged).as("one success: the limit has a latency").isGreaterThanOrEqualTo(0);
      assertThat(latency.path("baseline").asDouble(-1)).as("one success is its own baseline").isEqualTo(judged);
      assertThat(judged).as("the limit judged the provider's answer, without the %d ms handshake wait",
              heldNanos / 1_000_000)
          .isLessThanOrEqualTo(ttftMs + 1.1 - heldNanos / 1_000_000.0);
    } finally {
      relay.close();
    }
  }

  @Test
  void aHandshakeThatTimesOutDoesNotCutTheLimitButAnAnswerThatTimesOutDoes() throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: blackhole, type: openai-compatible, base_url: "%s/v1", timeouts: { connect: 300ms } }
          - { name: stalled, type: openai-compatible, base_url: "%s/fault/latency=30s/v1", ca_file: "%s", timeouts: { first_token: 300ms } }
        models:
          - { name: unreachable, targets: [ { provider: blackhole, model: m } ] }
          - { name: slow, targets: [ { provider: stalled, model: m } ] }
        keys:
          - { key: %s, name: app }
        """.formatted(MASTER, silent.httpsBase(), https.mock().baseUrl(), https.authority(), TestGateway.KEY);
    try (TestGateway gw = TestGateway.start(yaml)) {
      HttpResponse<String> unreachable = gw.post("/v1/chat/completions",
          "{\"model\":\"unreachable\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
      HttpResponse<String> slow = gw.post("/v1/chat/completions",
          "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

      assertThat(unreachable.statusCode()).as(unreachable.body()).isEqualTo(504);
      assertThat(Sse.json(unreachable.body()).path("error").path("message").asText()).contains("timed out (connect timeout");
      JsonNode blackhole = target(gw, "blackhole/m");
      assertThat(blackhole.path("counts").path("errors").asLong()).as("the breaker's and the counts' failure").isEqualTo(1);
      assertThat(blackhole.path("concurrency").path("cuts").path("dropped").asLong())
          .as("no request reached the provider: nothing about its capacity").isZero();
      assertThat(blackhole.path("concurrency").path("limit").asInt()).isEqualTo(20_000);

      assertThat(slow.statusCode()).as(slow.body()).isEqualTo(504);
      JsonNode stalled = target(gw, "stalled/m");
      assertThat(stalled.path("concurrency").path("cuts").path("dropped").asLong())
          .as("the provider had the request and did not answer in time").isEqualTo(1);
      assertThat(stalled.path("concurrency").path("limit").asInt()).isLessThan(20_000);
    }
  }

  /** ttft_ms of the attempt that answered, from {@code x-sluice-attempts}. */
  private static long attemptTtftMs(HttpResponse<String> r) {
    String attempts = r.headers().firstValue("x-sluice-attempts").orElseThrow();
    return Arrays.stream(attempts.split(";")).filter(p -> p.startsWith("ttft_ms="))
        .mapToLong(p -> Long.parseLong(p.substring("ttft_ms=".length()))).findFirst().orElseThrow();
  }

  private static JsonNode target(TestGateway gw, String label) throws Exception {
    HttpResponse<String> r = gw.get("/admin/providers", MASTER);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (JsonNode t : Sse.json(r.body()).path("targets")) {
      if (t.path("target").asText().equals(label)) {
        return t;
      }
    }
    throw new AssertionError("no " + label + " in " + r.body());
  }

  /** A TCP relay to the provider that holds every byte of its connections until {@link #release}. */
  private static final class HeldRelay {
    private final Promise<Void> released = Promise.promise();
    private final AtomicLong acceptedAtNanos = new AtomicLong();
    private final NetServer server;
    private final int port;

    HeldRelay(int target) throws Exception {
      server = https.vertx().createNetServer().connectHandler(socket -> relay(socket, target));
      port = Await.await(server.listen(0, "127.0.0.1")).actualPort();
    }

    private void relay(NetSocket socket, int target) {
      socket.pause();
      acceptedAtNanos.compareAndSet(0, System.nanoTime());
      released.future().compose(v -> https.vertx().createNetClient().connect(target, "127.0.0.1")).onSuccess(upstream -> {
        socket.pipeTo(upstream);
        upstream.pipeTo(socket);
      }).onFailure(e -> socket.close());
    }

    /** Lets the held bytes through; answers when, in {@link System#nanoTime()}. */
    long release() {
      long at = System.nanoTime();
      released.tryComplete();
      return at;
    }

    void close() throws Exception {
      Await.await(server.close());
    }
  }
}
