package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Await;
import dev.sluice.testing.BlockedThreadWatch;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.RedisTestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two limiters ("replicas"), each with its own Redis client, sharing one real redis-server. */
class RedisRateLimiterTest {
  private static RedisTestServer server;
  private static Vertx vertx;
  private final FakeTicker ticker = new FakeTicker();
  private Redis clientA;
  private Redis clientB;
  private static final Scope KEY = Scope.key("k1");
  private static final Scope MODEL = Scope.model("gpt-4o");

  private static BlockedThreadWatch watch;

  @BeforeAll
  static void startRedis() {
    server = RedisTestServer.startOnFreePort();
    watch = new BlockedThreadWatch();
    vertx = Vertx.vertx(BlockedThreadWatch.options(50));
  }

  @AfterAll
  static void stopRedis() {
    Await.await(vertx.close());
    server.close();
    watch.close();
    assertThat(watch.warnings()).as("event loops blocked").isEmpty();
  }

  @BeforeEach
  void clients() {
    clientA = client(vertx, server);
    clientB = client(vertx, server);
    Await.await(clientA.send(Request.cmd(Command.FLUSHALL)));
  }

  @AfterEach
  void closeClients() {
    Await.await(clientA.close());
    Await.await(clientB.close());
  }

  static Redis client(Vertx vertx, RedisTestServer server) {
    // The pool's wait queue must hold the parallel calls: a full queue fails like a down Redis.
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri())
        .setMaxPoolSize(4).setMaxPoolWaiting(1024));
  }

  /**
   * Both replicas read one fake clock, so the buckets only refill when the test says so. The command
   * timeout is far above the 200 ms default: these tests count what Redis decides, and on a loaded
   * machine 200 parallel calls through four connections can take longer than 200 ms, when a replica
   * would fall back to its local limits (the fallback has tests of its own).
   */
  private RedisRateLimiter replica(Redis client) {
    return RedisRateLimiter.builder(client).ticker(ticker).commandTimeout(Duration.ofSeconds(30))
        .sharedClockMicros(() -> 1_700_000_000_000_000L + (ticker.nanos() - FakeTicker.DEFAULT_ORIGIN) / 1000)
        .build();
  }

  private static List<ScopedLimit> only(Scope scope, long rpm, long tpm, int conc) {
    return List.of(new ScopedLimit(scope, new LimitSpec(rpm, tpm, conc)));
  }

  @Test
  void twoReplicasTogetherAdmitExactlySixtyOfTwoHundredParallelCalls() {
    RedisRateLimiter a = replica(clientA);
    RedisRateLimiter b = replica(clientB);
    List<Future<Admission>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(a.reserve(only(KEY, 60, 0, 0), 10));
      calls.add(b.reserve(only(KEY, 60, 0, 0), 10));
    }
    List<Admission> results = calls.stream().map(Await::await).toList();

    assertThat(results).filteredOn(Admission::admitted).hasSize(60);
    assertThat(results).filteredOn(r -> !r.admitted()).hasSize(140).allSatisfy(r -> {
      assertThat(r.kind()).contains(LimitKind.REQUESTS);
      assertThat(r.scope()).contains(KEY);
      assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    });
    assertThat(a.mode()).isEqualTo(RedisRateLimiter.Mode.SHARED);
    assertThat(a.fallbackTransitions()).isZero();
  }

  @Test
  void aRefusedRequestIsAdmittedOnceTheSharedWindowHasRefilled() {
    RedisRateLimiter a = replica(clientA);
    RedisRateLimiter b = replica(clientB);
    for (int i = 0; i < 60; i++) {
      Await.await(a.reserve(only(KEY, 60, 0, 0), 0));
    }
    assertThat(Await.await(b.reserve(only(KEY, 60, 0, 0), 0)).admitted()).isFalse();

    ticker.advanceSeconds(1);

    assertThat(Await.await(b.reserve(only(KEY, 60, 0, 0), 0)).admitted()).isTrue();
    assertThat(Await.await(a.reserve(only(KEY, 60, 0, 0), 0)).admitted()).isFalse();
  }

  @Test
  void settlingOnOneReplicaAdjustsTokensSeenByTheOther() {
    RedisRateLimiter a = replica(clientA);
    RedisRateLimiter b = replica(clientB);
    Admission first = Await.await(a.reserve(only(KEY, 0, 1000, 0), 600));
    assertThat(first.admitted()).isTrue();
    Admission refused = Await.await(b.reserve(only(KEY, 0, 1000, 0), 600));
    assertThat(refused.kind()).contains(LimitKind.TOKENS);

    Await.await(first.reservation().settle(100)); // 500 of the 600 come back

    Admission second = Await.await(b.reserve(only(KEY, 0, 1000, 0), 600));
    assertThat(second.admitted()).isTrue();
    assertThat(second.headers().tokens().orElseThrow().remaining()).isEqualTo(300);

    Await.await(second.reservation().settle(1300)); // 700 over the estimate: a debt
    Admission afterDebt = Await.await(a.reserve(only(KEY, 0, 1000, 0), 1));
    assertThat(afterDebt.admitted()).isFalse();
    assertThat(afterDebt.retryAfter()).isEqualTo(Duration.ofMillis(24_060)); // 401 tokens at 1000/min
  }

  @Test
  void concurrencyIsSharedAcrossReplicasUsingRedisOwnClock() {
    RedisRateLimiter a = RedisRateLimiter.builder(clientA).ticker(ticker).build();
    RedisRateLimiter b = RedisRateLimiter.builder(clientB).ticker(ticker).build();
    Admission a1 = Await.await(a.reserve(only(KEY, 0, 0, 2), 0));
    Admission b1 = Await.await(b.reserve(only(KEY, 0, 0, 2), 0));
    assertThat(a1.admitted()).isTrue();
    assertThat(b1.admitted()).isTrue();
    Admission refused = Await.await(b.reserve(only(KEY, 0, 0, 2), 0));
    assertThat(refused.kind()).contains(LimitKind.CONCURRENCY);

    Await.await(a1.reservation().release());
    Await.await(a1.reservation().release()); // the second release frees nothing more

    assertThat(Await.await(b.reserve(only(KEY, 0, 0, 2), 0)).admitted()).isTrue();
    assertThat(Await.await(a.reserve(only(KEY, 0, 0, 2), 0)).admitted()).isFalse();
  }

  @Test
  void aSlotNeverSettledComesBackWhenItsLeaseEnds() {
    RedisRateLimiter a = RedisRateLimiter.builder(clientA).ticker(ticker).leaseTtl(Duration.ofMinutes(1))
        .sharedClockMicros(() -> 1_700_000_000_000_000L + (ticker.nanos() - FakeTicker.DEFAULT_ORIGIN) / 1000)
        .build();
    assertThat(Await.await(a.reserve(only(KEY, 0, 0, 1), 0)).admitted()).isTrue(); // the replica "dies"
    assertThat(Await.await(a.reserve(only(KEY, 0, 0, 1), 0)).admitted()).isFalse();

    ticker.advance(Duration.ofMinutes(1).plusMillis(1));

    assertThat(Await.await(a.reserve(only(KEY, 0, 0, 1), 0)).admitted()).isTrue();
  }

  @Test
  void aRefusalByOneScopeChargesNoOtherScope() {
    RedisRateLimiter a = replica(clientA);
    List<ScopedLimit> both = List.of(new ScopedLimit(KEY, new LimitSpec(10, 1000, 5)),
        new ScopedLimit(MODEL, new LimitSpec(1, 0, 0)));
    assertThat(Await.await(a.reserve(both, 100)).admitted()).isTrue();

    Admission refused = Await.await(a.reserve(both, 100));
    assertThat(refused.scope()).contains(MODEL);
    assertThat(refused.kind()).contains(LimitKind.REQUESTS);

    Admission keyOnly = Await.await(a.reserve(only(KEY, 10, 1000, 5), 100));
    assertThat(keyOnly.headers().toMap())
        .containsEntry("x-ratelimit-remaining-requests", "8")
        .containsEntry("x-ratelimit-remaining-tokens", "800")
        .containsEntry("x-ratelimit-reset-tokens", "12s");
  }

  @Test
  void aRequestLargerThanTheTpmIsTooLarge() {
    Admission a = Await.await(replica(clientA).reserve(only(KEY, 0, 1000, 0), 5000));
    assertThat(a.verdict()).isEqualTo(Admission.Verdict.TOO_LARGE);
    assertThat(a.scope()).contains(KEY);
  }
}
