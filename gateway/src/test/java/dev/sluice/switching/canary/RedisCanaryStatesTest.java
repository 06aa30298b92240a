package dev.sluice.switching.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RedisTestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' directors on one real redis-server, hammering the same canary at once: each step
 * and the rollback happen exactly once, and both replicas end with the same state.
 */
class RedisCanaryStatesTest {
  private static final long MIN = 60_000;
  private static RedisTestServer server;
  private static Vertx vertx;

  @BeforeAll
  static void startRedis() {
    server = RedisTestServer.startOnFreePort();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static void until(String what, BooleanSupplier c) {
    dev.sluice.testing.Await.until(what, c, java.time.Duration.ofSeconds(20));
  }

  /** Records {@code n} outcomes on each director from the event loop, all in flight at once. */
  private static void hammer(List<CanaryDirector> directors, int n, boolean failed) throws Exception {
    List<Future<Void>> done = new ArrayList<>();
    for (CanaryDirector d : directors) {
      done.add(vertx.executeBlocking(() -> {
        for (int i = 0; i < n; i++) {
          d.record("chat", failed ? CanaryOutcome.failed() : CanaryOutcome.answered(20));
        }
        return null;
      }, false));
    }
    await(Future.all(done));
  }

  @Test
  void concurrentReplicasStepOnceAndRollBackOnce() throws Exception {
    CanarySpec spec = new CanarySpec("chat", "chat-next", 100_000, 400_000, 1_000_000, 10 * MIN, 200_000, 0, 20);
    AtomicLong now = new AtomicLong(1_700_000_000_000L);
    List<String> transitions = new CopyOnWriteArrayList<>();
    List<CanaryDirector> replicas = new ArrayList<>();
    List<Redis> clients = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri())
          .setMaxPoolSize(8).setMaxPoolWaiting(4096)); // as the gateway's pooled client
      clients.add(redis);
      String name = "replica-" + r;
      replicas.add(CanaryDirector.shared(List.of(spec), redis, now::get,
          (s, before, after) -> transitions.add(name + ": " + before.phase().wireName() + " " + before.percent()
              + " -> " + after.phase().wireName() + " " + after.percent())));
    }
    try {
      for (CanaryDirector d : replicas) {
        await(d.start());
      }
      assertThat(replicas.get(0).sharePpm("chat")).isEqualTo(100_000);
      assertThat(replicas.get(1).snapshot().get(0).state()).isEqualTo(replicas.get(0).snapshot().get(0).state());

      now.addAndGet(10 * MIN);
      hammer(replicas, 100, false);
      for (CanaryDirector d : replicas) {
        await(d.tick());
      }
      until("both at 50%", () -> replicas.stream().allMatch(d -> d.sharePpm("chat") == 500_000));
      assertThat(transitions).as("one step, made by one replica").hasSize(1);
      assertThat(transitions.get(0)).endsWith("ramping 10.0 -> ramping 50.0");

      hammer(replicas, 50, true);
      for (CanaryDirector d : replicas) {
        await(d.tick());
      }
      until("both rolled back", () -> replicas.stream().allMatch(d -> d.sharePpm("chat") == 0));
      assertThat(transitions).as("one rollback, made by one replica").hasSize(2);
      assertThat(transitions.get(1)).endsWith("ramping 50.0 -> rolled_back 0.0");
      CanaryState a = replicas.get(0).snapshot().get(0).state();
      CanaryState b = replicas.get(1).snapshot().get(0).state();
      assertThat(a.phase()).isEqualTo(CanaryPhase.ROLLED_BACK);
      assertThat(a.version()).isEqualTo(b.version());
      assertThat(a.reason()).isEqualTo(b.reason()).contains("error rate");

      await(replicas.get(1).command("chat", CanaryAction.RESTART));
      await(replicas.get(0).tick());
      assertThat(replicas.get(0).sharePpm("chat")).as("an operator's restart on one replica is seen by the other")
          .isEqualTo(100_000);
    } finally {
      clients.forEach(Redis::close);
    }
  }
}
