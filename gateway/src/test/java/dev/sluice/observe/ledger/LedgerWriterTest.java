package dev.sluice.observe.ledger;

import static dev.sluice.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.store.RowKind;
import dev.sluice.store.requestlog.RequestDetail;
import dev.sluice.store.requestlog.RequestQuery;
import dev.sluice.store.requestlog.RequestRow;
import dev.sluice.store.Store;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger writer against a real SQLite store wrapped in a switchable fault layer. Timers are
 * fired by hand ({@link ManualLedgerTimers}) except in the one test that checks the real flush
 * interval.
 */
class LedgerWriterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration FLUSH = Duration.ofMillis(100);
  private static final Duration RETRY = Duration.ofSeconds(5);
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(7);
  private static Vertx vertx;

  @TempDir
  Path dir;
  private Store store;
  private FlakyLedgerStore flaky;
  private ManualLedgerTimers timers;
  private final List<LedgerWriter> writers = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void openStore() {
    store = await(Store.open(vertx, "sqlite:" + dir.resolve("sluice.db")));
    flaky = new FlakyLedgerStore(store.batches());
    timers = new ManualLedgerTimers();
  }

  @AfterEach
  void closeAll() {
    flaky.release();
    for (LedgerWriter w : writers) {
      await(w.flushAndStop(Duration.ofSeconds(5)));
    }
    await(store.close());
  }

  private LedgerWriterOptions options() {
    return new LedgerWriterOptions(dir.resolve("journal"), 10_000, 500, FLUSH, RETRY, WRITE_TIMEOUT);
  }

  private LedgerWriter writer(LedgerWriterOptions options) {
    LedgerWriter w = LedgerWriter.create(vertx, flaky, options, timers);
    writers.add(w);
    return w;
  }

  // ---- flushing -------------------------------------------------------------------------------

  @Test
  void flushesWithinTheFlushIntervalOnRealTimers() {
    LedgerWriter w = LedgerWriter.create(vertx, flaky, options());
    writers.add(w);
    await(w.start());
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      assertThat(w.offer(row("r" + i))).isTrue();
    }
    eventually(() -> w.written() == 3, RETRY);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // Nothing but the flush tick writes three rows (no full batch, no flush call): it cannot fire
    // before its interval, and within the retry interval even on a loaded machine (no tight bound).
    assertThat(tookMillis).as("rows reached the store %d ms after the offer", tookMillis)
        .isGreaterThanOrEqualTo(FLUSH.toMillis()).isLessThan(RETRY.toMillis());
    assertThat(ids()).containsExactly("r0:1", "r1:1", "r2:1");
  }

  @Test
  void aFullBatchIsWrittenWithoutWaitingForTheTimer() {
    LedgerWriter w = writer(options().withBatchSize(50));
    await(w.start());
    IntStream.range(0, 49).forEach(i -> w.offer(row("r" + i)));
    assertThat(w.queued()).isEqualTo(49);
    w.offer(row("r49")); // the 50th fills a batch
    eventually(() -> w.written() == 50, Duration.ofSeconds(5));
    assertThat(ids()).hasSize(50);
  }

  @Test
  void rowsWaitForTheFlushTickWhenNoBatchIsFull() {
    LedgerWriter w = writer(options());
    await(w.start());
    w.offer(row("a"));
    w.offer(row("b"));
    assertThat(w.queued()).isEqualTo(2);
    timers.fireOnce(FLUSH);
    eventually(() -> w.written() == 2, Duration.ofSeconds(5));
    assertThat(w.queued()).isZero();
  }

  @Test
  void noFlushTimerRunsWhileTheQueueIsEmpty() {
    LedgerWriter w = writer(options());
    await(w.start());
    assertThat(timers.pendingOnce(FLUSH)).as("idle: nothing to wake up for").isZero();
    w.offer(row("a"));
    w.offer(row("b"));
    assertThat(timers.pendingOnce(FLUSH)).as("one tick for the rows queued").isEqualTo(1);
    timers.fireOnce(FLUSH);
    eventually(() -> w.written() == 2, Duration.ofSeconds(5));
    assertThat(timers.pendingOnce(FLUSH)).as("empty again: no tick").isZero();
    w.offer(row("c"));
    assertThat(timers.pendingOnce(FLUSH)).isEqualTo(1);
    timers.fireOnce(FLUSH);
    eventually(() -> w.written() == 3, Duration.ofSeconds(5));
    assertThat(ids()).containsExactly("a:1", "b:1", "c:1");
  }

  @Test
  void rowsThatArriveDuringABatchWaitForTheTickInsteadOfASmallBatch() {
    LedgerWriter w = writer(options().withBatchSize(50));
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.HOLD;
    IntStream.range(0, 50).forEach(i -> w.offer(row("f" + i))); // a full batch: written at once
    eventually(() -> flaky.holding() == 1, Duration.ofSeconds(5));
    IntStream.range(0, 10).forEach(i -> w.offer(row("g" + i))); // arrive while it is being written
    flaky.release();
    eventually(() -> w.written() == 50, Duration.ofSeconds(5));
    assertThat(w.queued()).as("short of a batch: they wait for the tick").isEqualTo(10);
    assertThat(flaky.inserts.get()).isEqualTo(1);
    assertThat(timers.pendingOnce(FLUSH)).isEqualTo(1);
    timers.fireOnce(FLUSH);
    eventually(() -> w.written() == 60, Duration.ofSeconds(5));
    assertThat(flaky.inserts.get()).isEqualTo(2);
    assertThat(ids()).hasSize(60).doesNotHaveDuplicates();
  }

  @Test
  void aWriterThatKeepsUpYieldsBetweenChunksAndOneWithABacklogWritesAtFullSpeed() {
    LedgerWriter w = writer(options().withBatchSize(50));
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.HOLD;
    IntStream.range(0, 50).forEach(i -> w.offer(row("a" + i))); // a full batch, nothing behind it
    eventually(() -> flaky.holding() == 1, Duration.ofSeconds(5));
    IntStream.range(0, 120).forEach(i -> w.offer(row("b" + i))); // meanwhile a backlog of two batches and 20
    flaky.release();
    eventually(() -> w.written() == 150, Duration.ofSeconds(5));
    timers.fireOnce(FLUSH); // the 20 short of a batch
    eventually(() -> w.written() == 170, Duration.ofSeconds(5));
    // 1st: kept up; 2nd: a full batch still queued behind it; 3rd: 20 behind it; the tick's: none
    assertThat(flaky.paces).containsExactly(true, false, true, true);
    assertThat(ids()).hasSize(170).doesNotHaveDuplicates();
  }

  @Test
  void parallelOffersFromManyThreadsAllLandExactlyOnce() throws Exception {
    LedgerWriter w = writer(options().withBatchSize(16));
    await(w.start());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < 25; i++) {
            w.offer(row("t" + thread + "-" + i));
          }
          return null;
        }));
      }
      go.countDown();
      for (var f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    await(w.flush());
    List<String> ids = ids();
    assertThat(ids).hasSize(200).doesNotHaveDuplicates();
    assertThat(w.written()).isEqualTo(200);
    assertThat(w.spilled()).isZero();
    assertThat(w.dropped()).isZero();
  }

  // ---- overflow and the journal ---------------------------------------------------------------

  @Test
  void overflowSpillsToTheJournalAndARestartReplaysItWithoutDuplicates() {
    LedgerWriter w = writer(options().withQueueCapacity(10).withBatchSize(100));
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.HOLD; // a slow store: the first batch hangs
    int queued = 0;
    for (int i = 0; i < 25; i++) {
      queued += w.offer(row("r" + i)) ? 1 : 0;
    }
    // 1-10 queued; 11 overflowed and drained the queue into a held batch; 12-21 queued; 22-25 overflowed.
    assertThat(queued).isEqualTo(20);
    assertThat(flaky.holding()).isEqualTo(1);
    eventually(() -> w.spilled() == 5, Duration.ofSeconds(5)); // off the offering thread, on the journal worker
    assertThat(journalLines()).isEqualTo(5);

    flaky.release();
    await(w.flush());
    assertThat(w.written()).isEqualTo(20);
    assertThat(ids()).hasSize(20);

    assertARestartReplays(w, 5, 25);
    assertThat(journalSegments()).isEmpty();
  }

  @Test
  void aJournalThatHangsHoldsOverflowOnlyToItsBoundAndSaysItIsBehind() {
    // Queue 10: the hand-off holds 20 rows at most and is behind from 5.
    LedgerWriter w = writer(options().withQueueCapacity(10).withBatchSize(100));
    await(w.start());
    CountDownLatch journal = w.holdJournalForTest(); // a disk whose writes hang
    flaky.mode = FlakyLedgerStore.Mode.HOLD; // and a store that does not answer
    int queued = 0;
    for (int i = 0; i < 24; i++) {
      queued += w.offer(row("r" + i)) ? 1 : 0;
    }
    assertThat(queued).as("10 in the held batch, 10 in the queue").isEqualTo(20);
    assertThat(w.overflowing()).isEqualTo(4);
    assertThat(w.behind()).isFalse();
    assertThat(w.offer(row("r24"))).isFalse();
    assertThat(w.behind()).as("5 rows wait for the journal").isTrue();
    for (int i = 25; i < 45; i++) {
      assertThat(w.offer(row("r" + i))).isFalse();
    }
    assertThat(w.overflowing()).as("held in memory at most").isEqualTo(20);
    assertThat(w.dropped()).as("r40-r44: past the bound, counted").isEqualTo(5);
    assertThat(w.spilled()).isZero();

    journal.countDown();
    eventually(() -> w.spilled() == 20, Duration.ofSeconds(5));
    assertThat(w.overflowing()).isZero();
    assertThat(w.behind()).isFalse();
    flaky.release();
    await(w.flush());
    assertThat(w.written()).isEqualTo(20);

    assertARestartReplays(w, 20, 40);
  }

  @Test
  void bodiesWaitingForAHungJournalAreBoundedInBytes() {
    // 1,000 bytes of bodies in the queue: the hand-off holds 2,000 at most and is behind from 500.
    LedgerWriter w = writer(options().withMaxQueuedBodyBytes(1_000));
    await(w.start());
    CountDownLatch journal = w.holdJournalForTest();
    RequestRow.Bodies bodies = new RequestRow.Bodies("x".repeat(200), "y".repeat(100), false, false); // 600 bytes
    assertThat(w.offer(RequestRow.builder("b0", T0).bodies(bodies).build())).as("queued").isTrue();
    assertThat(w.behind()).isFalse();
    for (int i = 1; i <= 3; i++) {
      assertThat(w.offer(RequestRow.builder("b" + i, T0).bodies(bodies).build())).as("handed to the journal").isFalse();
      assertThat(w.behind()).isTrue();
    }
    assertThat(w.overflowing()).isEqualTo(3);
    assertThat(w.dropped()).isZero();
    assertThat(w.offer(RequestRow.builder("b4", T0).bodies(bodies).build())).isFalse();
    assertThat(w.dropped()).as("2,400 bytes would be past the bound").isEqualTo(1);
    assertThat(w.offer(RequestRow.builder("b5", T0).build())).as("a row without bodies still queues").isTrue();

    journal.countDown();
    eventually(() -> w.spilled() == 3, Duration.ofSeconds(5));
    assertThat(w.behind()).isFalse();
    timers.firePeriodic(RETRY);
    eventually(() -> w.replayed() == 3, Duration.ofSeconds(5));
    await(w.flush());
    assertThat(await(store.requests().list(RequestQuery.newest(50))).rows()).hasSize(5);
  }

  @Test
  void aStoreFailureJournalsTheBatchAndALaterReplayLoadsIt() {
    LedgerWriter w = writer(options());
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.DOWN;
    IntStream.range(0, 30).forEach(i -> w.offer(row("a" + i)));
    await(w.flush());
    assertThat(w.failed()).isEqualTo(1);
    assertThat(w.spilled()).isEqualTo(30);
    assertThat(w.storeHealthy()).isFalse();

    int callsWhileDown = flaky.inserts.get();
    IntStream.range(0, 20).forEach(i -> w.offer(row("b" + i)));
    await(w.flush());
    assertThat(flaky.inserts.get()).as("while down, batches go straight to the journal").isEqualTo(callsWhileDown);
    assertThat(w.spilled()).isEqualTo(50);
    assertThat(ids()).isEmpty();

    timers.firePeriodic(RETRY); // still down: the replay fails and keeps the journal
    eventually(() -> w.failed() == 2, Duration.ofSeconds(5));
    assertThat(ids()).isEmpty();

    flaky.mode = FlakyLedgerStore.Mode.NORMAL;
    timers.firePeriodic(RETRY);
    eventually(w::storeHealthy, Duration.ofSeconds(5));
    assertThat(w.replayed()).isEqualTo(50);
    assertThat(ids()).hasSize(50).doesNotHaveDuplicates();
    assertThat(journalSegments()).isEmpty();

    w.offer(row("c"));
    await(w.flush());
    assertThat(w.written()).isEqualTo(1);
    assertThat(ids()).hasSize(51);
  }

  @Test
  void whileTheStoreIsDownAFullJournalDiskRefusesBilledWorkUntilTheJournalTakesWritesAgain() throws IOException {
    LedgerWriter w = writer(options());
    await(w.start());
    Path active = fullJournalDisk();
    flaky.mode = FlakyLedgerStore.Mode.DOWN;
    assertThat(w.refusal()).as("nothing has failed yet").isNull();

    offerAndFlush(w, "held", 30);
    assertThat(w.held()).as("neither the store nor the journal took them: kept in memory").isEqualTo(30);
    assertThat(w.dropped()).isZero();
    assertThat(w.journalHealthy()).isFalse();
    assertThat(w.refusal()).isEqualTo(LedgerWriter.UNAVAILABLE);

    await(w.retry()); // the disk is still full and the store still down: the rows go back to the hold
    assertThat(w.journalHealthy()).isFalse();
    assertThat(w.storeHealthy()).isFalse();
    assertThat(w.held()).isEqualTo(30);
    assertThat(w.refusal()).isEqualTo(LedgerWriter.UNAVAILABLE);

    Files.delete(active); // space freed
    await(w.retry());
    assertThat(w.journalHealthy()).isTrue();
    assertThat(w.held()).as("the store still refuses them: journaled now").isZero();
    assertThat(w.spilled()).isEqualTo(30);
    assertThat(w.refusal()).as("rows are durable in the journal again, store or not").isNull();
    offerAndFlush(w, "kept", 20);
    assertThat(w.spilled()).isEqualTo(50);

    flaky.mode = FlakyLedgerStore.Mode.NORMAL;
    await(w.retry());
    assertThat(w.storeHealthy()).isTrue();
    assertThat(ids()).containsExactlyInAnyOrderElementsOf(attemptIds("held", 30, "kept", 20));
    assertThat(w.dropped()).as("nothing lost; the probe's blank line is not a torn row").isZero();
  }

  @Test
  void aStoreBackWhileTheJournalDiskStaysFullTakesTheHeldRowsAndServesBilledWorkAgain() throws IOException {
    LedgerWriter w = neitherWrites(options(), "held", 30);
    assertThat(w.refusal()).isEqualTo(LedgerWriter.UNAVAILABLE);

    flaky.mode = FlakyLedgerStore.Mode.NORMAL; // the store returns; the journal's disk stays full
    await(w.retry());
    assertThat(w.journalHealthy()).isFalse();
    assertThat(w.storeHealthy()).as("the held rows went in: the store is proven back").isTrue();
    assertThat(w.refusal()).as("rows reach the store again: billed work is served").isNull();
    assertThat(w.held()).isZero();
    offerAndFlush(w, "after", 5);
    assertThat(ids()).containsExactlyInAnyOrderElementsOf(attemptIds("held", 30, "after", 5));
    assertThat(w.written()).isEqualTo(35);
    assertThat(w.dropped()).isZero();
  }

  @Test
  void theHoldIsBoundedAndCountsWhatItCannotKeep() throws IOException {
    LedgerWriter w = neitherWrites(options().withQueueCapacity(10), "r", 50); // holds twice the queue: 20 rows
    assertThat(w.held()).isEqualTo(20);
    assertThat(w.dropped()).isEqualTo(30);
    assertThat(w.held() + w.dropped()).as("every row is held or counted").isEqualTo(50);
  }

  @Test
  void aStopWritesHeldRowsToAStoreThatIsBackAndCountsThoseNothingTakes() throws IOException {
    LedgerWriter w = neitherWrites(options(), "a", 10);
    assertThat(w.held()).isEqualTo(10);

    flaky.mode = FlakyLedgerStore.Mode.NORMAL; // back before the retry tick: the stop writes them itself
    await(w.flushAndStop(STOP_TIMEOUT));
    assertThat(ids()).hasSize(10);
    assertThat(w.dropped()).isZero();

    LedgerWriter second = neitherWrites(options(), "b", 10);
    await(second.flushAndStop(STOP_TIMEOUT)); // neither takes them at the stop: counted, not silently gone
    assertThat(second.held()).isZero();
    assertThat(second.dropped()).isEqualTo(10);
  }

  /** A started writer whose store is down and whose journal's disk is full, offered and flushed {@code n} rows. */
  private LedgerWriter neitherWrites(LedgerWriterOptions options, String prefix, int n) throws IOException {
    LedgerWriter w = writer(options);
    await(w.start());
    fullJournalDisk();
    flaky.mode = FlakyLedgerStore.Mode.DOWN;
    offerAndFlush(w, prefix, n);
    return w;
  }

  private static void offerAndFlush(LedgerWriter w, String prefix, int n) {
    IntStream.range(0, n).forEach(i -> w.offer(row(prefix + i)));
    await(w.flush());
  }

  /** The ids of first attempts {@code a0..a(n-1)} and {@code b0..b(m-1)}. */
  private static List<String> attemptIds(String a, int n, String b, int m) {
    return Stream.concat(IntStream.range(0, n).mapToObj(i -> a + i + ":1"), IntStream.range(0, m).mapToObj(i -> b + i + ":1"))
        .toList();
  }

  /** Every journal write fails from now on with ENOSPC, as on a full disk; the returned link is the cure. */
  private Path fullJournalDisk() throws IOException {
    Path active = dir.resolve("journal").resolve(Journal.ACTIVE);
    Files.deleteIfExists(active);
    Files.createSymbolicLink(active, Path.of("/dev/full"));
    return active;
  }

  @Test
  void aJournalThatFailsWhileTheStoreKeepsUpRefusesNothingUntilTheQueueIsHalfFull() throws IOException {
    LedgerWriter w = writer(options().withQueueCapacity(100));
    await(w.start());
    fullJournalDisk();
    flaky.mode = FlakyLedgerStore.Mode.HOLD; // a store slower than the traffic
    IntStream.range(0, 100).forEach(i -> w.offer(row("q" + i))); // a full batch: written at once, and held
    eventually(() -> flaky.holding() == 1, Duration.ofSeconds(5));
    IntStream.range(0, 101).forEach(i -> w.offer(row("more" + i))); // fills the queue; the last overflows
    eventually(() -> !w.journalHealthy(), Duration.ofSeconds(5));
    assertThat(w.held()).as("the overflowing row met the full disk: held in memory").isEqualTo(1);
    assertThat(w.dropped()).isZero();
    assertThat(w.storeHealthy()).isTrue();
    assertThat(w.refusal()).as("a slow store with no journal behind it").isEqualTo(LedgerWriter.UNAVAILABLE);

    flaky.release(); // the store catches up
    await(w.flush());
    assertThat(w.queued()).isZero();
    assertThat(w.journalHealthy()).isFalse();
    assertThat(w.refusal()).as("the store keeps up: no row needs the journal").isNull();
    assertThat(ids()).hasSize(200);
    await(w.retry());
    assertThat(w.held()).as("the retry gave the held row to the store").isZero();
    assertThat(ids()).hasSize(201);
  }

  @Test
  void aHungStoreTimesOutIntoTheJournal() {
    LedgerWriter w = writer(options());
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.HOLD;
    IntStream.range(0, 5).forEach(i -> w.offer(row("h" + i)));
    timers.fireOnce(FLUSH);
    eventually(() -> flaky.holding() == 1, Duration.ofSeconds(5));
    timers.fireOnce(WRITE_TIMEOUT);
    eventually(() -> w.spilled() == 5, Duration.ofSeconds(5));
    assertThat(w.failed()).isEqualTo(1);

    flaky.release(); // the hung insert commits after all
    timers.firePeriodic(RETRY); // and the replay of the same rows changes nothing
    eventually(w::storeHealthy, Duration.ofSeconds(5));
    assertThat(ids()).hasSize(5).doesNotHaveDuplicates();
  }

  // ---- stopping and crashing ------------------------------------------------------------------

  @Test
  void flushAndStopDrainsEverythingThenRefusesRows() {
    LedgerWriter w = writer(options());
    await(w.start());
    IntStream.range(0, 1234).forEach(i -> w.offer(row("s" + i)));
    await(w.flushAndStop(Duration.ofSeconds(10)));
    assertThat(ids()).hasSize(1234).doesNotHaveDuplicates();
    assertThat(w.written()).isEqualTo(1234);
    assertThat(w.queued()).isZero();

    assertThat(w.offer(row("late"))).isFalse();
    assertThat(w.dropped()).isEqualTo(1);
    assertThat(w.flushAndStop(Duration.ofSeconds(1)).succeeded()).isTrue(); // idempotent
  }

  @Test
  void flushAndStopWithTheStoreDownJournalsEverythingForTheNextStart() {
    LedgerWriter w = writer(options());
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.DOWN;
    IntStream.range(0, 700).forEach(i -> w.offer(row("d" + i)));
    await(w.flushAndStop(Duration.ofSeconds(10)));
    assertThat(w.spilled()).isEqualTo(700);
    assertThat(ids()).isEmpty();

    flaky.mode = FlakyLedgerStore.Mode.NORMAL;
    LedgerWriter next = writer(options());
    await(next.start());
    assertThat(next.replayed()).isEqualTo(700);
    assertThat(ids()).hasSize(700).doesNotHaveDuplicates();
  }

  @Test
  void aStopThatTimesOutJournalsTheBatchInFlight() {
    LedgerWriter w = writer(options());
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.HOLD;
    IntStream.range(0, 12).forEach(i -> w.offer(row("x" + i)));
    var stopping = w.flushAndStop(STOP_TIMEOUT);
    eventually(() -> flaky.holding() == 1, Duration.ofSeconds(5));
    assertThat(stopping.isComplete()).isFalse();
    timers.fireOnce(STOP_TIMEOUT);
    await(stopping);
    assertThat(w.spilled()).isEqualTo(12);

    flaky.release(); // the held insert lands after the stop: the replay below must not duplicate it
    LedgerWriter next = writer(options());
    await(next.start());
    assertThat(ids()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void aCrashLosesOnlyRowsThatWereNeverDurableAndARestartDuplicatesNothing() throws IOException {
    LedgerWriter w = writer(options());
    await(w.start());
    // 40 rows whose insert commits but whose reply is lost: in the store AND in the journal.
    flaky.mode = FlakyLedgerStore.Mode.COMMIT_THEN_FAIL;
    IntStream.range(0, 40).forEach(i -> w.offer(row("c" + i)));
    await(w.flush());
    assertThat(ids()).hasSize(40);
    assertThat(w.spilled()).isEqualTo(40);
    // 10 more while the writer believes the store is down: journal only.
    flaky.mode = FlakyLedgerStore.Mode.NORMAL;
    IntStream.range(40, 50).forEach(i -> w.offer(row("c" + i)));
    await(w.flush());
    assertThat(w.spilled()).isEqualTo(50);
    // 7 more only in memory, then kill -9, mid-way through a journal append.
    IntStream.range(50, 57).forEach(i -> w.offer(row("c" + i)));
    await(w.crashForTest());
    writers.remove(w);
    Files.writeString(dir.resolve("journal").resolve(Journal.ACTIVE), "{\"v\":1,\"request_id\":\"torn",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    LedgerWriter restarted = writer(options());
    await(restarted.start());
    List<String> ids = ids();
    assertThat(ids).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 50).mapToObj(i -> "c" + i + ":1").toList());
    assertThat(restarted.replayed()).isEqualTo(50);
    assertThat(restarted.dropped()).as("the torn line").isEqualTo(1);
    assertThat(journalSegments()).isEmpty();
  }

  @Test
  void twoWritersCannotShareAJournalFolder() {
    LedgerWriter first = writer(options());
    await(first.start());
    LedgerWriter second = LedgerWriter.create(vertx, flaky, options(), timers);
    assertThat(dev.sluice.testing.Await.failure(second.start())).hasMessageContaining("in use by another writer");
    await(first.flushAndStop(Duration.ofSeconds(5)));
    LedgerWriter third = writer(options()); // the lock went with the first writer
    await(third.start());
  }

  @Test
  void flushAfterStopCompletesAtOnce() {
    LedgerWriter w = writer(options());
    await(w.start());
    await(w.flushAndStop(Duration.ofSeconds(5)));
    await(w.flush(), Duration.ofSeconds(2));
  }

  @Test
  void rowsSurviveTheJournalWithEveryColumnIntact() {
    LedgerRow full = LedgerRow.builder("full", 3, T0.plusMillis(123)).key("alice", null, null)
        .target("smart", "anthropic", "claude").status(499).errorClass("client_closed").outcome(Outcome.CANCELLED)
        .tokens(11, 22, 3, 4, 5).cost(678, false, true).latency(900, 45L).stream(true).clientDisconnected(true)
        .hedge(true).retry(true).fallback(true).kind(RowKind.SHADOW).saved(77)
        .route(dev.sluice.store.AnswerRoute.REROUTED, 1234L, 5678L).uncachedCost(910L).build();
    assertThat(JournalCodec.decode(JournalCodec.encode(full))).isEqualTo(full);
    LedgerRow unpriced = full.toBuilder().route(dev.sluice.store.AnswerRoute.REROUTED, null, null).build();
    assertThat(JournalCodec.decode(JournalCodec.encode(unpriced))).isEqualTo(unpriced);
    LedgerWriter w = writer(options());
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.DOWN;
    w.offer(full);
    await(w.flush());
    flaky.mode = FlakyLedgerStore.Mode.NORMAL;
    timers.firePeriodic(RETRY);
    eventually(w::storeHealthy, Duration.ofSeconds(5));
    assertThat(await(store.ledger().rowsSince(Instant.EPOCH))).containsExactly(full);
  }

  // ---- request-log rows -----------------------------------------------------------------------

  @Test
  void requestRowsShareTheBatchesAndSurviveTheJournalWithEveryColumn() {
    RequestRow full = RequestRow.builder("q1", T0.plusMillis(7)).endpoint("messages").key("alice", "key_1", "red")
        .model("smart").servedBy("anthropic", "claude").status(502).errorClass("upstream_error").stream(true)
        .clientDisconnected(true).timing(1_234_567, 4_567L, 12, 345).tokens(1, 2, 3, 4, 5).cost(678).attempts(2)
        .bodies(new RequestRow.Bodies("{\"x\":\"é\"}", null, true, false)).build();
    RequestRow bare = RequestRow.builder("q2", T0).build();
    LedgerRow attempt = row("q1").toBuilder().startedAt(T0.plusMillis(9)).build();
    assertThat(JournalCodec.decode(JournalCodec.encode(full))).isEqualTo(full);
    assertThat(JournalCodec.decode(JournalCodec.encode(bare))).isEqualTo(bare);
    assertThat(JournalCodec.decode(JournalCodec.encode(attempt))).isEqualTo(attempt);

    LedgerWriter w = writer(options());
    await(w.start());
    flaky.mode = FlakyLedgerStore.Mode.DOWN;
    w.offer(full);
    w.offer(attempt);
    w.offer(bare);
    await(w.flush());
    assertThat(w.spilled()).isEqualTo(3);
    flaky.mode = FlakyLedgerStore.Mode.NORMAL;
    timers.firePeriodic(RETRY);
    eventually(w::storeHealthy, Duration.ofSeconds(5));
    RequestDetail stored = await(store.requests().find("q1", null)).orElseThrow();
    assertThat(stored.request()).isEqualTo(full);
    assertThat(stored.attempts()).containsExactly(attempt);
    assertThat(await(store.requests().find("q2", null))).isPresent();

    w.offer(RequestRow.builder("q3", T0).build());
    w.offer(row("q3"));
    await(w.flush());
    assertThat(flaky.inserts.get()).as("a failed batch, a replay, then one batch of both kinds").isEqualTo(3);
    assertThat(await(store.requests().find("q3", null)).orElseThrow().attempts()).hasSize(1);
  }

  @Test
  void bodiesPastTheByteBoundWaitInTheJournalNotInMemory() {
    LedgerWriter w = writer(options().withMaxQueuedBodyBytes(1_000));
    await(w.start());
    RequestRow.Bodies bodies = new RequestRow.Bodies("x".repeat(200), "y".repeat(100), false, false); // 600 bytes
    assertThat(w.offer(RequestRow.builder("b1", T0).bodies(bodies).build())).isTrue();
    assertThat(w.queuedBodyBytes()).isEqualTo(600);
    assertThat(w.offer(RequestRow.builder("b2", T0).bodies(bodies).build())).as("past the bound: journaled").isFalse();
    assertThat(w.offer(RequestRow.builder("b3", T0).build())).as("no bodies: queued").isTrue();
    assertThat(w.offer(row("b3"))).isTrue();
    await(w.flush()); // (the spill also set a drain going, as a full queue does)
    assertThat(w.queuedBodyBytes()).isZero();
    assertThat(w.spilled()).isEqualTo(1);
    timers.firePeriodic(RETRY);
    eventually(() -> w.replayed() == 1, Duration.ofSeconds(5));
    assertThat(await(store.requests().find("b2", null)).orElseThrow().request().bodies()).isEqualTo(bodies);
    assertThat(await(store.requests().list(RequestQuery.newest(50))).rows()).hasSize(3);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Stops {@code w}, starts a writer on its journal, and checks that the restart replayed {@code replayed}
   * rows and that the store holds rows r0 to r{@code rows - 1} exactly once each.
   */
  private void assertARestartReplays(LedgerWriter w, int replayed, int rows) {
    await(w.flushAndStop(Duration.ofSeconds(5)));
    LedgerWriter restarted = writer(options());
    await(restarted.start());
    assertThat(restarted.replayed()).isEqualTo(replayed);
    assertThat(ids()).hasSize(rows).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, rows).mapToObj(i -> "r" + i + ":1").toList());
  }

  private static LedgerRow row(String requestId) {
    return LedgerRow.builder(requestId, 1, T0).key("alice", "key_1", "red").target("smart", "openai", "gpt-4o")
        .tokens(100, 10, 0, 0, 0).cost(1000, true, false).latency(200, null).build();
  }

  private List<String> ids() {
    return await(store.ledger().rowsSince(Instant.EPOCH)).stream().map(LedgerRow::id).toList();
  }

  private long journalLines() {
    try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
      long n = 0;
      for (Path p : files.toList()) {
        n += Files.readAllLines(p).stream().filter(l -> !l.isBlank()).count();
      }
      return n;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Path> journalSegments() {
    try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".sealed.jsonl")).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls a condition that another thread makes true; bounded. */
  private static void eventually(BooleanSupplier condition, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + within);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
