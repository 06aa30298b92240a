package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.core.UpstreamTimeouts;
import dev.sluice.testing.Await;
import dev.sluice.testing.SilentServer;
import dev.sluice.testing.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting to an HTTPS provider: requests that reach a cold pool together share the HTTP/2
 * connections being opened instead of each opening one, and a handshake that does not finish is a
 * timeout. Real TLS servers on 127.0.0.1, a certificate made by the JDK's keytool.
 */
class Http2ConnectGateTest {
  @RegisterExtension
  static final SilentServer silent = new SilentServer();

  private static final String PASSWORD = "test-only-store";

  @TempDir
  static Path dir;

  private static TestCertificates.SelfSigned certificate;

  private Vertx vertx;
  /** The requests the server holds, answered together once all have arrived. */
  private final List<HttpServerRequest> waiting = new ArrayList<>();
  private final Set<String> h2Connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();

  @BeforeAll
  static void certificate() throws Exception {
    certificate = TestCertificates.selfSigned(dir, "server", PASSWORD);
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aBurstOnAColdPoolOpensTheConnectionsItsStreamsNeedNotOnePerRequest() throws Exception {
    int port = server(100, HttpVersion.HTTP_2, 250);
    UpstreamClient client = client(port, Duration.ofSeconds(20));

    List<Integer> statuses = await(burst(client, 250));

    assertThat(statuses).hasSize(250).containsOnly(200);
    assertThat(h2Connections).as("every request went over HTTP/2").hasSize(connections.get());
    assertThat(connections.get()).as("250 streams, 100 a connection").isEqualTo(3);
    await(client.close());
  }

  @Test
  void aServerThatAllowsFewerStreamsGetsAConnectionForEveryTenOfThem() throws Exception {
    int port = server(10, HttpVersion.HTTP_2, 50);
    UpstreamClient client = client(port, Duration.ofSeconds(20));

    List<Integer> statuses = await(burst(client, 50));

    assertThat(statuses).hasSize(50).containsOnly(200);
    assertThat(connections.get()).isEqualTo(5);
    await(client.close());
  }

  @Test
  void aServerThatChoosesHttp1GetsEveryRequestOnAConnectionOfItsOwn() throws Exception {
    int port = server(100, HttpVersion.HTTP_1_1, 20);
    UpstreamClient client = client(port, Duration.ofSeconds(20));

    List<Integer> statuses = await(burst(client, 20));

    assertThat(statuses).hasSize(20).containsOnly(200);
    assertThat(h2Connections).isEmpty();
    assertThat(connections.get()).isEqualTo(20);
    await(client.close());
  }

  @Test
  void whenTheConnectionBeingOpenedFailsTheRequestsHeldForItEachTryOnTheirOwn() throws Exception {
    // Accepts TCP connections and never answers the TLS handshake: the connect timeout ends each try.
    int before = silent.accepted();
    UpstreamClient client = client(silent.port(), Duration.ofMillis(500));

    List<Future<Integer>> calls = calls(client, 20);
    await(Future.join(calls).otherwiseEmpty());

    assertThat(calls).allSatisfy(call -> {
      assertThat(call.failed()).isTrue();
      assertThat(call.cause()).hasMessageContaining("connect");
    });
    // The first opened a connection and the others waited for it; when it failed, each tried its own
    // (one slow connection does not fail every request that happened to wait for it).
    Await.until("20 connections tried", () -> silent.accepted() - before == 20, Duration.ofSeconds(10));
    await(client.close());
  }

  @Test
  void requestsHeldForAConnectionBeingOpenedTakeStreamsThatFreeUpMeanwhile() throws Exception {
    // A: a connection whose 10 streams the server holds; B: the next one, whose TLS handshake the
    // relay holds back until the end, so requests wait for it.
    List<HttpServerRequest> onA = new ArrayList<>();
    AtomicInteger answeredAtOnce = new AtomicInteger();
    int serverPort = server(10, HttpVersion.HTTP_2, request -> {
      synchronized (onA) {
        if (onA.size() < 10) {
          onA.add(request);
          return;
        }
      }
      answeredAtOnce.incrementAndGet();
      request.response().end("{}");
    });
    HeldRelay relay = new HeldRelay(serverPort, 2);
    UpstreamClient client = client(relay.port(), Duration.ofSeconds(30));
    ContextInternal loop = ((VertxInternal) vertx).createEventLoopContext();

    List<Future<Integer>> first = calls(client, 10, loop);
    Await.until("10 streams open on A", () -> size(onA) == 10, Duration.ofSeconds(20));
    List<Future<Integer>> opener = calls(client, 1, loop);
    Await.until("B being opened", () -> relay.accepted() == 2, Duration.ofSeconds(20));
    List<Future<Integer>> heldForB = calls(client, 4, loop);
    synchronized (onA) {
      onA.subList(0, 5).forEach(r -> r.response().end("{}"));
    }
    await(Future.all(first.subList(0, 5)));
    List<Future<Integer>> late = calls(client, 1, loop);

    // The next request's arrival hands the held ones the 5 streams that A has free, in arrival order,
    // while B is still in its handshake; without that they would wait for B.
    assertThat(await(Future.all(heldForB)).<Integer>list()).containsOnly(200);
    assertThat(await(late.get(0))).isEqualTo(200);
    assertThat(relay.released()).as("B still opening").isFalse();
    assertThat(connections.get()).as("answered on A").isEqualTo(1);
    assertThat(answeredAtOnce.get()).isEqualTo(5);

    relay.release();
    assertThat(await(opener.get(0))).isEqualTo(200);
    synchronized (onA) {
      onA.subList(5, 10).forEach(r -> r.response().end("{}"));
    }
    assertThat(await(Future.all(first)).<Integer>list()).containsOnly(200);
    assertThat(connections.get()).isEqualTo(2);
    await(client.close());
  }

  @Test
  void aTlsHandshakeThatDoesNotFinishIsATimeoutWithinTheProvidersConnectTimeout() throws Exception {
    UpstreamClient client = client(silent.port(), Duration.ofMillis(300));
    // The call may wait longer for a connection (its model's timeouts): the handshake still ends at
    // the provider's connect timeout, not at Vert.x's own 10 s, and is reported as a timeout.
    UpstreamTimeouts callTimeouts = new UpstreamTimeouts(Duration.ofSeconds(40), Duration.ofSeconds(40),
        Duration.ofSeconds(40), Duration.ofSeconds(60));
    Promise<Integer> answer = Promise.promise();
    ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> client.send(new UpstreamRequest(HttpMethod.POST,
        "/chat/completions", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{}"), false), callTimeouts)
        .responded().map(c -> c.status()).onComplete(answer));

    Throwable failure = Await.failure(answer.future());
    assertThat(failure).isInstanceOf(UpstreamFailure.class)
        .hasMessage("Provider 'tls' timed out (TLS handshake: the provider's connect timeout)");
    assertThat(((UpstreamFailure) failure).error().errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    await(client.close());
  }

  /** An HTTPS server allowing {@code streams} streams a connection; answers once {@code expected} requests are open. */
  private int server(int streams, HttpVersion version, int expected) throws Exception {
    return server(streams, version, request -> {
      if (request.version() == HttpVersion.HTTP_2) {
        h2Connections.add(request.connection().remoteAddress().toString());
      }
      synchronized (waiting) {
        waiting.add(request);
        if (waiting.size() == expected) {
          waiting.forEach(r -> r.response().end("{}"));
        }
      }
    });
  }

  private int server(int streams, HttpVersion version, Handler<HttpServerRequest> requests) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setAlpnVersions(version == HttpVersion.HTTP_2 ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1)
            : List.of(HttpVersion.HTTP_1_1))
        .setKeyCertOptions(new PfxOptions().setPath(certificate.keystore().toString()).setPassword(PASSWORD))
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(streams));
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(requests);
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  /**
   * A TCP relay to the server on 127.0.0.1 that holds the bytes of its {@code heldConnection}-th
   * connection (1-based) until {@link #release}: a TLS handshake that takes as long as the test wants.
   */
  private final class HeldRelay {
    private final int target;
    private final int heldConnection;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Promise<Void> released = Promise.promise();
    private final int port;

    HeldRelay(int target, int heldConnection) throws Exception {
      this.target = target;
      this.heldConnection = heldConnection;
      NetServer relay = vertx.createNetServer().connectHandler(this::relay);
      this.port = await(relay.listen(0, "127.0.0.1")).actualPort();
    }

    private void relay(NetSocket socket) {
      socket.pause();
      Future<Void> go = accepted.incrementAndGet() == heldConnection ? released.future() : Future.succeededFuture();
      go.compose(v -> vertx.createNetClient().connect(target, "127.0.0.1")).onSuccess(upstream -> {
        socket.pipeTo(upstream);
        upstream.pipeTo(socket);
      }).onFailure(e -> socket.close());
    }

    int port() {
      return port;
    }

    int accepted() {
      return accepted.get();
    }

    boolean released() {
      return released.future().isComplete();
    }

    void release() {
      released.tryComplete();
    }
  }

  private static int size(List<?> list) {
    synchronized (list) {
      return list.size();
    }
  }

  private UpstreamClient client(int port, Duration connectTimeout) {
    UpstreamTimeouts timeouts = new UpstreamTimeouts(connectTimeout, Duration.ofSeconds(30), Duration.ofSeconds(30),
        Duration.ofSeconds(60));
    // A pool large enough that Vert.x alone would open a connection for every request of the burst.
    return new UpstreamClient(vertx, new UpstreamEndpoint("tls", "https://127.0.0.1:" + port + "/v1", null,
        AuthScheme.bearer(), Map.of(), timeouts, 100_000, certificate.pem().toString()), 1);
  }

  /** {@code n} calls started in one go on one event loop; completes with their statuses. */
  private Future<List<Integer>> burst(UpstreamClient client, int n) {
    return Future.all(calls(client, n)).map(all -> all.list());
  }

  private List<Future<Integer>> calls(UpstreamClient client, int n) {
    return calls(client, n, ((VertxInternal) vertx).createEventLoopContext());
  }

  /** {@code n} calls started in one go on {@code loop} (the event loop whose pool they use). */
  private List<Future<Integer>> calls(UpstreamClient client, int n, ContextInternal loop) {
    List<Promise<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(Promise.promise());
    }
    loop.runOnContext(v -> {
      for (Promise<Integer> answer : answers) {
        UpstreamCall call = client.send(new UpstreamRequest(HttpMethod.POST, "/chat/completions",
            MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"), Buffer.buffer("{}"), false));
        call.responded().compose(c -> c.body().map(b -> c.status())).onComplete(answer);
      }
    });
    return answers.stream().map(Promise::future).toList();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
