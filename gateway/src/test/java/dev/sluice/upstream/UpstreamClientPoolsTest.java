package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.core.UpstreamTimeouts;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider client keeps one pool per event loop, so a call never reads on another loop's thread. */
class UpstreamClientPoolsTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eachEventLoopUsesItsOwnConnectionAndReadsOnItsOwnThread() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, "{\"ok\":true}"));
    UpstreamClient client = client(8, 2);
    ContextInternal loopA = ((VertxInternal) vertx).createEventLoopContext();
    ContextInternal loopB = ((VertxInternal) vertx).createEventLoopContext();
    assertThat(loopA.nettyEventLoop()).isNotSameAs(loopB.nettyEventLoop());

    List<String> mismatches = new ArrayList<>();
    // One call at a time, alternating loops: one shared pool would reuse a single idle connection.
    for (int i = 0; i < 6; i++) {
      Context on = i % 2 == 0 ? loopA : loopB;
      String thread = await(callOn(on, client, mismatches));
      assertThat(thread).startsWith("vert.x-eventloop-thread-");
    }

    assertThat(mismatches).isEmpty();
    assertThat(upstream.requestCount()).isEqualTo(6);
    assertThat(upstream.connectionCount()).isEqualTo(2);
    await(client.close());
  }

  @Test
  void theConfiguredConnectionCapIsSplitBetweenTheLoops() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, "{\"ok\":true}").latency(200));
    UpstreamClient client = client(4, 2); // 4 connections over 2 loops: 2 each
    Context loopA = ((VertxInternal) vertx).createEventLoopContext();
    List<String> mismatches = new ArrayList<>();
    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(callOn(loopA, client, mismatches));
    }
    await(Future.all(calls));

    assertThat(upstream.requestCount()).isEqualTo(6);
    assertThat(upstream.maxInFlight()).isEqualTo(2);
    assertThat(upstream.connectionCount()).isEqualTo(2);
    await(client.close());
  }

  /** Sends one call from {@code context}; completes with the thread that saw the body. */
  private Future<String> callOn(Context context, UpstreamClient client, List<String> mismatches) {
    Promise<String> done = Promise.promise();
    context.runOnContext(v -> {
      Thread caller = Thread.currentThread();
      UpstreamCall call = client.send(new UpstreamRequest(HttpMethod.POST, "/chat/completions",
          MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"), Buffer.buffer("{}"), false));
      call.responded().compose(c -> c.body()).onComplete(ar -> {
        if (Thread.currentThread() != caller) {
          synchronized (mismatches) {
            mismatches.add(caller.getName() + " -> " + Thread.currentThread().getName());
          }
        }
        if (ar.failed()) {
          done.fail(ar.cause());
        } else {
          done.complete(Thread.currentThread().getName());
        }
      });
    });
    return done.future();
  }

  private UpstreamClient client(int maxConnections, int loops) {
    return new UpstreamClient(vertx, new UpstreamEndpoint("fake", upstream.baseUrl(), null, AuthScheme.bearer(),
        Map.of(), UpstreamTimeouts.DEFAULTS, maxConnections), loops);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
