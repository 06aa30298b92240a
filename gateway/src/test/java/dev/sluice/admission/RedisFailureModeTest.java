package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Await;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.RedisTestServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kills and restarts a real redis-server under a limiter; each failure mode as documented. */
class RedisFailureModeTest {
  private static final Duration PROBE = Duration.ofSeconds(5);
  private static final List<ScopedLimit> TEN_RPM = List.of(new ScopedLimit(Scope.key("k1"), new LimitSpec(10, 0, 0)));
  private static RedisTestServer server;
  private static Vertx vertx;
  private final FakeTicker ticker = new FakeTicker();
  private final List<RedisRateLimiter.Mode> switches = new CopyOnWriteArrayList<>();
  private Redis client;

  @BeforeAll
  static void startRedis() {
    server = RedisTestServer.startOnFreePort();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() {
    Await.await(vertx.close());
    server.close();
  }

  @BeforeEach
  void client() {
    server.start();
    client = RedisRateLimiterTest.client(vertx, server);
    Await.await(client.send(Request.cmd(Command.FLUSHALL)));
  }

  @AfterEach
  void closeClient() {
    Await.await(client.close());
  }

  private RedisRateLimiter limiter(FailureMode mode) {
    return RedisRateLimiter.builder(client).ticker(ticker).failureMode(mode).expectedReplicas(2)
        .probeInterval(PROBE).listener((m, cause) -> switches.add(m)).build();
  }

  private Admission reserve(RedisRateLimiter limiter) {
    return Await.await(limiter.reserve(TEN_RPM, 0));
  }

  /** Restarts Redis; the limiter stays in fallback until a call after the probe interval. */
  private void restartAndProbe(RedisRateLimiter limiter) {
    server.start();
    reserve(limiter);
    assertThat(limiter.mode()).isEqualTo(RedisRateLimiter.Mode.FALLBACK); // probe not due yet
    ticker.advance(PROBE);
    Admission probe = reserve(limiter);
    assertThat(limiter.mode()).isEqualTo(RedisRateLimiter.Mode.SHARED);
    assertThat(probe.headers().requests().orElseThrow().limit()).isEqualTo(10); // the shared limit again
    assertThat(switches).containsExactly(RedisRateLimiter.Mode.FALLBACK, RedisRateLimiter.Mode.SHARED);
    assertThat(limiter.fallbackTransitions()).isEqualTo(1);
  }

  @Test
  void localModeEnforcesThisReplicasShareWhileRedisIsDownAndReturnsToSharedAfterRestart() {
    RedisRateLimiter limiter = limiter(FailureMode.LOCAL);
    assertThat(reserve(limiter).admitted()).isTrue();
    Admission shared = reserve(limiter);
    assertThat(shared.admitted()).isTrue();
    server.stop();

    List<Admission> whileDown = java.util.stream.IntStream.range(0, 8).mapToObj(i -> reserve(limiter)).toList();

    assertThat(limiter.mode()).isEqualTo(RedisRateLimiter.Mode.FALLBACK);
    assertThat(whileDown).filteredOn(Admission::admitted).hasSize(5); // 10 rpm / 2 replicas
    assertThat(whileDown.get(7).headers().requests().orElseThrow().limit()).isEqualTo(5);
    assertThat(limiter.fallbackTransitions()).isEqualTo(1); // one switch, however many calls
    // A reservation made in Redis cannot settle while Redis is down: the caller hears of it.
    assertThat(Await.failure(shared.reservation().settle(0))).isNotNull();

    restartAndProbe(limiter);
  }

  @Test
  void failOpenAdmitsEverythingWhileRedisIsDown() {
    RedisRateLimiter limiter = limiter(FailureMode.FAIL_OPEN);
    server.stop();

    List<Admission> whileDown = java.util.stream.IntStream.range(0, 30).mapToObj(i -> reserve(limiter)).toList();

    assertThat(whileDown).allSatisfy(a -> {
      assertThat(a.admitted()).isTrue();
      assertThat(a.headers().toMap()).isEmpty();
    });
    Await.await(whileDown.get(0).reservation().settle(100));
    restartAndProbe(limiter);
    for (int i = 0; i < 9; i++) {
      reserve(limiter);
    }
    assertThat(reserve(limiter).admitted()).isFalse(); // enforced again
  }

  @Test
  void failClosedRefusesWith503WhileRedisIsDown() {
    RedisRateLimiter limiter = limiter(FailureMode.FAIL_CLOSED);
    server.stop();

    Admission a = reserve(limiter);

    assertThat(a.verdict()).isEqualTo(Admission.Verdict.UNAVAILABLE);
    assertThat(a.httpStatus()).isEqualTo(503);
    assertThat(a.reason()).isEqualTo("rate limiter unavailable");
    assertThat(a.retryAfter()).isEqualTo(PROBE);
    restartAndProbe(limiter);
  }

  @Test
  void aRedisThatHangsCountsAsDownAfterTheCommandTimeout() {
    RedisRateLimiter limiter = limiter(FailureMode.FAIL_CLOSED);
    reserve(limiter); // connections warm
    Redis other = RedisRateLimiterTest.client(vertx, server);
    // Redis answers this at once, then holds every client's commands for a second.
    Await.await(other.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg("1000")));
    try {
      long start = System.nanoTime();
      Admission a = reserve(limiter);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(a.verdict()).isEqualTo(Admission.Verdict.UNAVAILABLE);
      assertThat(tookMillis).isBetween(150L, 900L); // the 200 ms timeout, not the 1 s hang
      assertThat(limiter.mode()).isEqualTo(RedisRateLimiter.Mode.FALLBACK);
    } finally {
      Await.await(other.send(Request.cmd(Command.PING))); // returns when the pause is over
      Await.await(other.close());
    }
  }

  @Test
  void aReserveRedisRunsOnlyAfterWeStoppedWaitingIsGivenBackWhenItsAnswerArrives() throws Exception {
    RedisRateLimiter limiter = limiter(FailureMode.FAIL_CLOSED);
    List<ScopedLimit> oneSlot = List.of(new ScopedLimit(Scope.target("up/n"), new LimitSpec(0, 0, 1)));
    Await.await(Await.await(limiter.reserve(oneSlot, 0)).reservation().release()); // connections warm
    Redis other = RedisRateLimiterTest.client(vertx, server);
    Request leases = Request.cmd(Command.ZCARD).arg(RedisRateLimiter.KEY_PREFIX + "target:up/n:c");
    long scriptsRun = scriptsRun(other);
    // Redis answers this at once, then holds every client's commands for 600 ms.
    Await.await(other.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg("600")));
    try {
      assertThat(Await.await(limiter.reserve(oneSlot, 0)).verdict())
          .as("we stop waiting after the 200 ms command timeout").isEqualTo(Admission.Verdict.UNAVAILABLE);
    } finally {
      Await.await(other.send(Request.cmd(Command.PING))); // returns when the pause is over
    }
    // The script runs after the pause and takes the slot for nobody: its late answer gives it
    // back, rather than the lease holding the target's only slot for ten minutes.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (scriptsRun(other) == scriptsRun && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
    assertThat(scriptsRun(other)).as("the late reserve ran").isGreaterThan(scriptsRun);
    while (Await.await(other.send(leases)).toInteger() > 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
    assertThat(Await.await(other.send(leases)).toInteger()).isZero();
    Await.await(other.close());
  }

  /** How many scripts (EVALSHA) Redis has run so far. */
  private static long scriptsRun(Redis redis) {
    String info = Await.await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    return info.lines().filter(l -> l.startsWith("cmdstat_evalsha:calls=")).findFirst()
        .map(l -> Long.parseLong(l.substring("cmdstat_evalsha:calls=".length(), l.indexOf(',')))).orElse(0L);
  }
}
