package dev.sluice.observe.stats;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.TokenUsage;
import dev.sluice.observe.RequestSummary;
import dev.sluice.store.stats.StatsCell;
import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsQuery;
import dev.sluice.store.stats.StatsRow;
import dev.sluice.store.stats.StatsStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:05Z");
  private static final long M0 = T0.toEpochMilli() / 60_000;

  private Vertx vertx;
  private final FakeClock clock = new FakeClock(T0);
  private final FakeStatsStore store = new FakeStatsStore();
  private final List<Runnable> timerTasks = new ArrayList<>();
  private final AtomicBoolean timerCancelled = new AtomicBoolean();
  private StatsAggregator stats;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    stats = StatsAggregator.create(vertx, store, "replica-1", clock, (period, task) -> {
      timerTasks.add(task);
      return () -> timerCancelled.set(true);
    });
    stats.start(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void recordsOnlyInferenceRequestsFromAcceptedKeysThatNamedAModel() {
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    stats.requestFinished(summary("messages", "alice", "smart", 100));
    stats.requestFinished(summary("embeddings", "alice", "embed", 100));
    stats.requestFinished(summary("count_tokens", "alice", "smart", 100));
    stats.requestFinished(summary("models", "alice", null, 100));
    stats.requestFinished(summary("chat", null, "smart", 100)); // refused before a key was accepted
    stats.requestFinished(summary("chat", "alice", null, 100)); // no model in the body
    await(stats.flush());
    assertThat(store.total(StatsGrain.ALL)).isEqualTo(3);
  }

  @Test
  void aFlushWritesTheFinestSeriesAndEveryCoarserGrainWithTheSameTotals() {
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    stats.requestFinished(summary("chat", "alice", "smart", 300));
    stats.requestFinished(error(summary("chat", "bob", "smart", 200)));
    stats.requestFinished(stream(summary("chat", "bob", "fast", 50), 20));
    await(stats.flush());

    assertThat(store.rows(StatsGrain.ALL)).hasSize(3);
    for (StatsGrain g : StatsGrain.values()) {
      assertThat(store.total(g)).as(g.name()).isEqualTo(4);
      assertThat(store.rows(g).stream().mapToLong(StatsRow::errors).sum()).as(g.name()).isEqualTo(1);
      assertThat(store.rows(g).stream().mapToLong(StatsRow::costMicros).sum()).as(g.name()).isEqualTo(400);
      assertThat(store.rows(g).stream().mapToLong(r -> decode(r.latency()).getTotalCount()).sum()).isEqualTo(4);
    }
    StatsRow smart = store.rows(StatsGrain.MODEL).stream().filter(r -> "smart".equals(r.model())).findFirst().orElseThrow();
    assertThat(smart.keyName()).isNull();
    assertThat(smart.provider()).isNull();
    assertThat(smart.requests()).isEqualTo(3);
    assertThat(smart.inputTokens()).isEqualTo(30);
    assertThat(decode(smart.latency()).getValueAtPercentile(100)).isBetween(300_000L, 302_400L); // microseconds
    assertThat(smart.ttft()).isNull(); // none streamed
    StatsRow fast = store.rows(StatsGrain.MODEL).stream().filter(r -> "fast".equals(r.model())).findFirst().orElseThrow();
    assertThat(decode(fast.ttft()).getTotalCount()).isEqualTo(1);
    StatsRow key = store.rows(StatsGrain.KEY).stream().filter(r -> "bob".equals(r.keyName())).findFirst().orElseThrow();
    assertThat(key.team()).isEqualTo("red");
    assertThat(key.model()).isNull();
    assertThat(store.rows(StatsGrain.ALL)).allSatisfy(r -> {
      assertThat(r.minute()).isEqualTo(M0);
      assertThat(r.replica()).isEqualTo("replica-1");
      assertThat(r.provider()).isEqualTo("openai");
      assertThat(r.target()).isEqualTo("gpt-4o");
    });
  }

  @Test
  void errorsAreCountedByClassInEveryGrainAndClassesBeyondTheCapCountAsOther() {
    stats.requestFinished(error(summary("chat", "alice", "smart", 100), 504, "upstream_timeout"));
    stats.requestFinished(error(summary("chat", "alice", "smart", 100), 504, "upstream_timeout"));
    stats.requestFinished(error(summary("chat", "bob", "smart", 100), 429, "rate_limit_exceeded"));
    stats.requestFinished(error(summary("chat", "bob", "fast", 100), 502, null)); // no code: its status
    stats.requestFinished(summary("chat", "bob", "fast", 100));
    await(stats.flush());
    for (StatsGrain g : StatsGrain.values()) {
      Map<String, Long> sum = new java.util.TreeMap<>();
      store.rows(g).forEach(r -> r.errorClasses().forEach((c, n) -> sum.merge(c, n, Long::sum)));
      assertThat(sum).as(g.name()).isEqualTo(Map.of("upstream_timeout", 2L, "rate_limit_exceeded", 1L, "http_502", 1L));
    }
    StatsRow fast = store.rows(StatsGrain.MODEL).stream().filter(r -> "fast".equals(r.model())).findFirst().orElseThrow();
    assertThat(fast.errors()).isEqualTo(1);
    assertThat(fast.errorClasses()).isEqualTo(Map.of("http_502", 1L));

    for (int i = 0; i < Totals.MAX_ERROR_CLASSES + 10; i++) {
      stats.requestFinished(error(summary("chat", "carol", "odd", 100), 400, "provider_code_" + i));
    }
    stats.requestFinished(error(summary("chat", "carol", "odd", 100), 400, "x".repeat(Totals.MAX_ERROR_CLASS_LENGTH + 1)));
    await(stats.flush());
    StatsRow odd = store.rows(StatsGrain.MODEL).stream().filter(r -> "odd".equals(r.model())).findFirst().orElseThrow();
    assertThat(odd.errorClasses()).hasSize(Totals.MAX_ERROR_CLASSES);
    assertThat(odd.errorClasses().get(Totals.OTHER)).isEqualTo(12);
    assertThat(odd.errorClasses().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(odd.errors());
  }

  @Test
  void withARetentionEveryFlushDeletesRowsOlderThanItAndAFailedDeleteNeverFailsTheFlush() {
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    await(stats.flush());
    assertThat(store.prunedBefore).as("no retention: nothing deleted").isEmpty();

    stats.retainFor(Duration.ofDays(2));
    clock.advance(Duration.ofDays(3));
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    await(stats.flush());
    long cutoff = Math.floorDiv(T0.plus(Duration.ofDays(1)).toEpochMilli(), 60_000);
    assertThat(store.prunedBefore).containsExactly(cutoff);
    assertThat(store.rows.values()).as("the first minute's rows are past the retention")
        .allSatisfy(r -> assertThat(r.minute()).isGreaterThanOrEqualTo(cutoff)).isNotEmpty();

    StatsAggregator failingPrune = StatsAggregator.create(vertx, new FakeStatsStore() {
      @Override
      public Future<Integer> deleteOldest(long beforeMinute, int span) {
        return Future.failedFuture(new IllegalStateException("store busy"));
      }
    }, "replica-2", clock, (period, task) -> () -> { }).retainFor(Duration.ofDays(1));
    failingPrune.requestFinished(summary("chat", "alice", "smart", 100));
    await(failingPrune.flush());
    assertThat(failingPrune.flushFailures()).isZero();
  }

  @Test
  void rowsAreCumulativeAndAFlushRewritesOnlyTheSeriesThatChanged() {
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    stats.requestFinished(summary("chat", "bob", "smart", 100));
    await(stats.flush());
    store.upserts.clear();
    await(stats.flush());
    assertThat(store.upserts).isEmpty(); // nothing changed

    stats.requestFinished(summary("chat", "alice", "smart", 200));
    await(stats.flush());
    assertThat(store.upserts).singleElement().satisfies(rows -> {
      assertThat(rows.stream().filter(r -> r.grain() == StatsGrain.ALL)).singleElement()
          .satisfies(r -> assertThat(r.keyName()).isEqualTo("alice"));
      assertThat(rows.stream().filter(r -> r.grain() == StatsGrain.MODEL)).singleElement()
          .satisfies(r -> assertThat(r.requests()).isEqualTo(3));
      assertThat(rows.stream().filter(r -> r.grain() == StatsGrain.KEY)).singleElement() // not bob's
          .satisfies(r -> assertThat(r.keyName()).isEqualTo("alice"));
    });
    assertThat(store.total(StatsGrain.ALL)).isEqualTo(3);
    assertThat(store.total(StatsGrain.KEY)).isEqualTo(3);
  }

  @Test
  void aPastMinuteIsSealedAndForgottenOnceStoredAndLaterRecordsNeverReopenIt() {
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    clock.advance(Duration.ofMinutes(1));
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    assertThat(stats.minutesHeld()).isEqualTo(2);
    await(stats.flush());
    assertThat(stats.minutesHeld()).isEqualTo(1); // the past minute is stored for good

    clock.set(T0); // the wall clock steps back: the sealed minute must not be rewritten with less
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    await(stats.flush());
    assertThat(store.row(StatsGrain.MODEL, M0).requests()).isEqualTo(1);
    assertThat(store.row(StatsGrain.MODEL, M0 + 1).requests()).isEqualTo(2);
  }

  @Test
  void aFailedFlushIsRedoneByTheNextAndKeepsItsMinutesUntilThen() {
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    clock.advance(Duration.ofMinutes(1));
    store.failing.set(true);
    assertThat(failure(stats.flush())).hasMessageContaining("store down");
    assertThat(stats.flushFailures()).isEqualTo(1);
    assertThat(stats.minutesHeld()).isEqualTo(1);
    store.failing.set(false);
    await(stats.flush());
    assertThat(store.row(StatsGrain.ALL, M0).requests()).isEqualTo(1);
    assertThat(stats.minutesHeld()).isZero();
  }

  @Test
  void whileTheStoreIsDownOnlyTheLatestHourIsKept() {
    store.failing.set(true);
    for (int i = 0; i < StatsAggregator.MAX_MINUTES_HELD + 5; i++) {
      stats.requestFinished(summary("chat", "alice", "smart", 100));
      clock.advance(Duration.ofMinutes(1));
      failure(stats.flush());
    }
    assertThat(stats.minutesHeld()).isEqualTo(StatsAggregator.MAX_MINUTES_HELD);
    assertThat(stats.droppedMinutes()).isEqualTo(5);
    store.failing.set(false);
    await(stats.flush());
    assertThat(store.total(StatsGrain.ALL)).isEqualTo(StatsAggregator.MAX_MINUTES_HELD);
    assertThat(store.rows(StatsGrain.ALL)).extracting(StatsRow::minute).doesNotContain(M0 + 4).contains(M0 + 5);
  }

  @Test
  void theTimerFlushesAndStopCancelsItAfterALastFlush() {
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    assertThat(timerTasks).hasSize(1);
    timerTasks.get(0).run();
    await(stats.flush()); // queued behind the timer's flush
    assertThat(store.total(StatsGrain.ALL)).isEqualTo(1);
    stats.requestFinished(summary("chat", "alice", "smart", 100));
    await(stats.stop());
    assertThat(timerCancelled).isTrue();
    assertThat(store.total(StatsGrain.ALL)).isEqualTo(2);
  }

  @Test
  void recordsFromManyThreadsWhileFlushesRunAndMinutesPassAreAllStoredOnce() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    for (int t = 0; t < threads; t++) {
      String key = "key-" + t;
      Thread w = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          stats.requestFinished(summary("chat", key, i % 2 == 0 ? "smart" : "fast", 1 + i % 500));
          if (i % 1_000 == 0) {
            clock.advance(Duration.ofSeconds(20));
          }
        }
        done.incrementAndGet();
      });
      w.start();
      workers.add(w);
    }
    go.countDown();
    while (done.get() < threads) {
      await(stats.flush());
    }
    for (Thread w : workers) {
      w.join();
    }
    await(stats.flush());
    for (StatsGrain g : StatsGrain.values()) {
      assertThat(store.total(g)).as(g.name()).isEqualTo((long) threads * perThread);
      assertThat(store.rows(g).stream().mapToLong(r -> decode(r.latency()).getTotalCount()).sum())
          .isEqualTo((long) threads * perThread);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static RequestSummary summary(String endpoint, String key, String model, long latencyMillis) {
    return new RequestSummary("req", T0.toEpochMilli(), endpoint, key, key == null ? null : key + "-id", "red", model,
        "openai", "gpt-4o", 200, null, false, false, Duration.ofMillis(latencyMillis).toNanos(), -1, 0,
        Duration.ofMillis(1).toNanos(), new TokenUsage(10, 2, 0, 0, 0), 100, 1, null);
  }

  private static RequestSummary error(RequestSummary s) {
    return new RequestSummary(s.requestId(), s.startedAtMillis(), s.endpoint(), s.keyName(), s.keyId(), s.team(),
        s.model(), s.provider(), s.targetModel(), 503, "upstream_error", s.stream(), false, s.latencyNanos(),
        s.ttftNanos(), s.queueWaitNanos(), s.overheadNanos(), s.usage(), s.costMicros(), s.attempts(), null);
  }

  private static RequestSummary error(RequestSummary s, int status, String errorClass) {
    return new RequestSummary(s.requestId(), s.startedAtMillis(), s.endpoint(), s.keyName(), s.keyId(), s.team(),
        s.model(), s.provider(), s.targetModel(), status, errorClass, s.stream(), false, s.latencyNanos(),
        s.ttftNanos(), s.queueWaitNanos(), s.overheadNanos(), s.usage(), s.costMicros(), s.attempts(), null);
  }

  private static RequestSummary stream(RequestSummary s, long ttftMillis) {
    return new RequestSummary(s.requestId(), s.startedAtMillis(), s.endpoint(), s.keyName(), s.keyId(), s.team(),
        s.model(), s.provider(), s.targetModel(), s.status(), s.errorClass(), true, false, s.latencyNanos(),
        Duration.ofMillis(ttftMillis).toNanos(), s.queueWaitNanos(), s.overheadNanos(), s.usage(), s.costMicros(),
        s.attempts(), null);
  }

  static Histogram decode(byte[] bytes) {
    return Histogram.decodeFromByteBuffer(ByteBuffer.wrap(bytes), 0);
  }

  /** Keeps the latest row per key, as the real store's upsert does; can be made to fail. */
  static class FakeStatsStore implements StatsStore {
    final Map<String, StatsRow> rows = new ConcurrentHashMap<>();
    final List<List<StatsRow>> upserts = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicBoolean failing = new AtomicBoolean();

    @Override
    public Future<Void> upsert(List<StatsRow> batch) {
      if (failing.get()) {
        return Future.failedFuture(new IllegalStateException("store down"));
      }
      upserts.add(List.copyOf(batch));
      for (StatsRow r : batch) {
        rows.put(String.join("|", r.grain().wire(), Long.toString(r.minute()), r.replica(), r.model(), r.provider(),
            r.target(), r.keyName(), r.team()), r);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<List<StatsCell>> query(StatsQuery query) {
      throw new UnsupportedOperationException();
    }

    final List<Long> prunedBefore = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Future<Integer> deleteOldest(long beforeMinute, int span) {
      prunedBefore.add(beforeMinute);
      int before = rows.size();
      rows.values().removeIf(r -> r.minute() < beforeMinute);
      return Future.succeededFuture(before - rows.size());
    }

    List<StatsRow> rows(StatsGrain g) {
      return rows.values().stream().filter(r -> r.grain() == g).toList();
    }

    long total(StatsGrain g) {
      return rows(g).stream().mapToLong(StatsRow::requests).sum();
    }

    StatsRow row(StatsGrain g, long minute) {
      return rows(g).stream().filter(r -> r.minute() == minute).reduce((a, b) -> {
        throw new AssertionError("more than one row");
      }).orElseThrow();
    }
  }

  static final class FakeClock extends Clock {
    private final AtomicLong millis;

    FakeClock(Instant start) {
      millis = new AtomicLong(start.toEpochMilli());
    }

    void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }

    void set(Instant t) {
      millis.set(t.toEpochMilli());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
