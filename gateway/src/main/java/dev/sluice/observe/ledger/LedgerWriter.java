package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import dev.sluice.store.BatchStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes ledger rows and request-log rows off the response path and writes them to the
 * {@link BatchStore} in batches (DESIGN.md §4 rule 6): both kinds share the queue, a batch holds
 * whatever was offered, in one transaction, and every guarantee below holds for both.
 *
 * <p><b>Flow.</b> {@link #offer} puts a row in a bounded in-memory queue and returns at once; it
 * never blocks and never does I/O. A full batch is written as soon as it is waiting; the rest of
 * the queue waits for the flush tick, {@code flushInterval} after a row found no tick pending
 * (no timer runs while the queue is empty), which writes all that is queued. One
 * {@code insertBatch} (one transaction) per batch: under steady load the batches stay full instead
 * of holding whatever arrived while the previous one was written (a batch's commit and rollup
 * upserts cost the same for 100 rows as for 500). When the queue is
 * full, the row is handed to the spill journal instead (JSON lines in {@code journalDir}, appended
 * and fsynced on a worker thread); so is a row carrying stored bodies when the bodies already
 * queued would pass {@code maxQueuedBodyBytes} (memory stays bounded in bytes, not only in rows).
 * When the store fails or times out, the batch goes to the journal too, and while the store stays
 * down every batch does. Every {@code retryInterval} the journal is
 * replayed into the store; a journal segment is deleted only once all its rows are in. No row is
 * dropped silently: the few that can be neither queued, journaled nor held (offered after stop, a
 * torn journal line, an overflow or a hold past its bound, a journal that fails at stop) are counted
 * in {@link #dropped()} and logged.
 *
 * <p><b>When neither the store nor the journal keeps up.</b> Overflowing rows wait in memory for the
 * journal worker, within an {@link OverflowBound}. From half the queue's size of them the writer is
 * {@link #behind()}, and the gateway refuses new billed requests (503 {@code ledger_behind}) until
 * the journal catches up: the rows of requests already in flight still fit. A row past the bound is
 * dropped and counted rather than held: a journal whose disk hangs must not grow the heap until the
 * process dies with every row it held.
 *
 * <p><b>When neither can write.</b> A journal write that fails (a full disk, which with SQLite fails
 * the store next to it too) makes the writer refuse new billed requests while a row would need the
 * journal ({@link #refusal()}: {@link #UNAVAILABLE}). The rows that write carried (requests already
 * answered) are {@linkplain #held() held} in memory, within the overflow's bound. Every retry interval
 * probes the journal, then offers the held rows to the store, then replays the journal: held rows
 * that the store takes prove it is back, so billed requests are served again even while the journal's
 * disk stays broken (PostgreSQL on another machine, say); a store that still fails sends them to the
 * journal, or back to the hold. A {@code kill -9} loses what is held, like the queue.
 *
 * <p><b>Crash guarantee.</b> A row is durable once its batch's transaction has committed, or once
 * it has been appended to the journal and fsynced. Durable rows survive {@code kill -9} and reach
 * the store exactly once: {@link #start()} replays the journal, and rows are keyed by
 * {@code requestId:attemptNo} (request rows by request id), so a row that is both in the store and
 * in the journal (its insert committed but timed out, say) is not duplicated. A {@code kill -9} loses only rows not yet
 * durable: those still in the in-memory queue (offered within the last flush interval, ~100 ms by
 * default, or more while the store is slower than the offer rate, bounded by the queue capacity),
 * those in a batch whose insert had not committed yet (at most {@code writeTimeout} old), rows in
 * the overflow hand-off not yet fsynced (written within milliseconds), and rows {@linkplain #held()
 * held} while neither the store nor the journal could write. A clean stop ({@link #flushAndStop}, on
 * SIGTERM) loses nothing, short of a store and a journal disk that both refuse (counted in
 * {@link #dropped()}). ("Committed" is the engine's word: PostgreSQL's commit is
 * durable; SQLite in WAL mode with {@code synchronous=NORMAL} survives a process kill but may lose
 * its last commits to a power cut or OS crash. The journal is fsynced, so it survives both.)
 *
 * <p><b>Threading.</b> Thread-safe: offer from any thread, event loops included. JDBC runs on the
 * store's worker pool, file I/O on this writer's own single-threaded worker; timers come from the
 * injected {@link LedgerTimers}.
 */
public final class LedgerWriter {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** The error code of a request refused because the writer is {@link #behind()}. */
  public static final String BEHIND = "ledger_behind";

  /** The error code of a request refused because neither the store nor the journal can write its rows. */
  public static final String UNAVAILABLE = "ledger_unavailable";

  /** Whether {@code errorClass} is one of this writer's refusals ({@link #refusal()}'s codes). */
  public static boolean isRefusal(String errorClass) {
    return BEHIND.equals(errorClass) || UNAVAILABLE.equals(errorClass);
  }

  private enum State { NEW, RUNNING, STOPPING, STOPPED }

  /** A batch being inserted; identity matters (whoever removes it from {@link #inFlight} owns its rows). */
  private record Batch(List<BatchRow> rows) {
    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  private final BatchStore store;
  private final LedgerWriterOptions options;
  private final LedgerTimers scheduler;
  private final Spill spill;
  private final ArrayBlockingQueue<BatchRow> queue;
  /** Rows that make a full batch: the batch size, or the whole queue if it holds fewer. */
  private final int fullBatch;
  /** Body bytes of the rows in {@link #queue}. */
  private final AtomicLong queuedBodyBytes = new AtomicLong();
  private final AtomicBoolean draining = new AtomicBoolean();
  /** A flush tick is scheduled ({@link #tick}). */
  private final AtomicBoolean tickArmed = new AtomicBoolean();
  /** The flush tick fired: the next drain pass writes all that is queued, not only full batches. */
  private final AtomicBoolean tickDue = new AtomicBoolean();
  private volatile LedgerTimers.Timer tick;
  private final List<Promise<Void>> flushWaiters = new ArrayList<>();
  private final ConcurrentHashMap<Batch, Boolean> inFlight = new ConcurrentHashMap<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final AtomicBoolean replaying = new AtomicBoolean();
  private final AtomicBoolean finishing = new AtomicBoolean();
  private final List<LedgerTimers.Timer> timers = new CopyOnWriteArrayList<>();
  private final Promise<Void> stopped = Promise.promise();
  private volatile boolean storeHealthy = true;

  private final AtomicLong written = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong overflowDrops = new AtomicLong();

  private LedgerWriter(Vertx vertx, BatchStore store, LedgerWriterOptions options, LedgerTimers scheduler) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.fullBatch = Math.min(options.batchSize(), options.queueCapacity());
    this.spill = new Spill(new Journal(options.journalDir()),
        vertx.createSharedWorkerExecutor("sluice-ledger-journal-" + SEQ.incrementAndGet(), 1), OverflowBound.of(options));
  }

  /** A writer on Vert.x timers. Call {@link #start()} before relying on it. */
  public static LedgerWriter create(Vertx vertx, BatchStore store, LedgerWriterOptions options) {
    return new LedgerWriter(vertx, store, options, LedgerTimers.vertx(vertx));
  }

  /** A writer on the given timers (tests fire them by hand). */
  public static LedgerWriter create(Vertx vertx, BatchStore store, LedgerWriterOptions options,
      LedgerTimers scheduler) {
    return new LedgerWriter(vertx, store, options, scheduler);
  }

  /**
   * Locks the journal folder (one writer per folder: fails if another writer holds it), replays
   * whatever journal a previous run left (a crash, or a store outage) into the store, then starts
   * the flush and retry timers. Completes once that first replay has been tried: a store still
   * down is not a start failure (the rows stay journaled and the retry timer goes on).
   */
  public Future<Void> start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      return Future.failedFuture(new IllegalStateException("the ledger writer was started already"));
    }
    return spill.<Void>run(() -> {
      spill.journal().lock();
      return null;
    }).recover(e -> {
      state.set(State.STOPPED);
      finishing.set(true);
      return spill.close(List.of()).transform(ignored -> Future.<Void>failedFuture(e));
    }).compose(locked -> {
      timers.add(scheduler.every(options.retryInterval(), this::retry));
      return replayJournal().transform(ar -> {
        tickDue.set(true); // rows offered before the start
        drain();
        return Future.<Void>succeededFuture();
      });
    });
  }

  /**
   * Hands a row over; never blocks. True when it was queued in memory; false when the queue was
   * full (or held too many body bytes) and it went to the spill journal instead (not lost:
   * slower), or when the writer has stopped or the rows waiting for the journal are at their
   * {@linkplain OverflowBound bound} (then it is counted in {@link #dropped()} and logged).
   */
  public boolean offer(BatchRow row) {
    Objects.requireNonNull(row, "row");
    if (state.get() == State.STOPPED) {
      return reject(row);
    }
    long bytes = row.bodyBytes();
    boolean roomForBodies = true;
    if (bytes > 0 && queuedBodyBytes.addAndGet(bytes) > options.maxQueuedBodyBytes()) {
      queuedBodyBytes.addAndGet(-bytes);
      roomForBodies = false; // bodies past the bound wait on disk, not in memory
    }
    if (roomForBodies && queue.offer(row)) {
      if (state.get() == State.STOPPED && queue.remove(row)) {
        queuedBodyBytes.addAndGet(-bytes);
        return reject(row);
      }
      if (queue.size() >= fullBatch) {
        drain();
      } else if (!tickArmed.get()) {
        armTick();
      }
      return true;
    }
    if (roomForBodies) {
      queuedBodyBytes.addAndGet(-bytes); // the queue was full
    }
    if (!spill.handOff(row)) {
      overflowDropped(row);
    } else if (state.get() == State.STOPPED && spill.takeBack(row)) {
      return reject(row);
    }
    drain();
    return false;
  }

  /**
   * True while the rows waiting for the journal are past half the queue's size: neither the store nor
   * the journal keeps up with what is offered, and new work should be refused until they do.
   */
  public boolean behind() {
    return spill.behind();
  }

  /**
   * Why new billed requests must be refused now, or null to serve them: {@link #BEHIND} while
   * {@link #behind()}; {@link #UNAVAILABLE} while the journal's writes fail (a full disk) and a row
   * would need it — the store is down too, or the queue is half full (the store does not keep up).
   * Serving then would answer requests whose usage is recorded nowhere: with SQLite a full disk fails
   * the store and the journal at once. Each retry interval probes the journal; the requests are served
   * again once it takes a write (or, the store being down, once the store takes the journal's rows).
   */
  public String refusal() {
    if (spill.behind()) {
      return BEHIND;
    }
    if (spill.failing() && (!storeHealthy || queue.size() >= options.queueCapacity() / 2)) {
      return UNAVAILABLE;
    }
    return null;
  }

  /** False from a failed journal write until a write succeeds again (probed every retry interval). */
  public boolean journalHealthy() {
    return !spill.failing();
  }

  /** Rows that overflowed the queue and wait in memory for the journal worker now. */
  public int overflowing() {
    return spill.waitingRows();
  }

  /** Rows neither the store nor the journal took, held in memory for the next retry. */
  public int held() {
    return spill.heldRows();
  }

  private void overflowDropped(BatchRow row) {
    long n = spill.dropped.incrementAndGet();
    if (overflowDrops.getAndIncrement() % 1_000 == 0) { // the first, then one line per thousand
      LOG.error("Ledger rows past the overflow bound ({} waiting for the journal, which does not keep up): row {}"
          + " not recorded; {} rows dropped in all", spill.waitingRows(), row.id(), n);
    }
  }

  /**
   * Writes out everything offered before this call: completes when those rows are in the store or
   * the journal. Failures are counted, not reported: the future always succeeds.
   */
  public Future<Void> flush() {
    if (state.get() == State.STOPPED) {
      return stopped.future();
    }
    Promise<Void> p = Promise.promise();
    synchronized (flushWaiters) {
      flushWaiters.add(p);
    }
    drain();
    return p.future().compose(v -> spill.drainHandOffs());
  }

  /**
   * Stops taking rows and writes out all that were taken (SIGTERM): to the store if it answers,
   * else to the journal. If {@code timeout} passes first, the rest (batches still in flight
   * included) goes to the journal at once. Completes when the journal is closed. Idempotent.
   */
  public Future<Void> flushAndStop(Duration timeout) {
    State s = state.get();
    if (s == State.STOPPING || s == State.STOPPED) {
      return stopped.future();
    }
    if (!state.compareAndSet(s, State.STOPPING)) {
      return flushAndStop(timeout);
    }
    timers.forEach(LedgerTimers.Timer::cancel);
    cancelTick();
    LedgerTimers.Timer deadline = scheduler.after(timeout, () -> finish(true));
    flush().compose(v -> writeHeld()).onComplete(ar -> {
      deadline.cancel();
      finish(false);
    });
    return stopped.future();
  }

  /** Rows inserted into the store from the queue. */
  public long written() {
    return written.get();
  }

  /** Rows appended to the journal (queue overflow, store failures, stop). */
  public long spilled() {
    return spill.spilled.get();
  }

  /** Rows inserted into the store from the journal (a row replayed twice counts twice). */
  public long replayed() {
    return replayed.get();
  }

  /** Store writes (batches and replay passes) that failed or timed out. */
  public long failed() {
    return failed.get();
  }

  /** Rows that could be neither written nor journaled: offered after stop, a failed journal write, a torn journal line. */
  public long dropped() {
    return spill.dropped.get();
  }

  /** Rows waiting in memory now. */
  public int queued() {
    return queue.size();
  }

  /** False from a failed store write until a journal replay succeeds; meanwhile batches go straight to the journal. */
  public boolean storeHealthy() {
    return storeHealthy;
  }

  // ---- draining the queue ---------------------------------------------------------------------

  /** Schedules the flush tick unless one is pending; only while running (a stop flushes by itself). */
  private void armTick() {
    if (state.get() == State.RUNNING && tickArmed.compareAndSet(false, true)) {
      tick = scheduler.after(options.flushInterval(), this::tick);
      if (state.get() != State.RUNNING) {
        cancelTick(); // a stop began meanwhile and may have missed this timer
      }
    }
  }

  private void cancelTick() {
    LedgerTimers.Timer t = tick;
    if (t != null) {
      t.cancel();
    }
  }

  /** The flush interval has passed since a row found no tick pending: write all that is queued. */
  private void tick() {
    tickArmed.set(false); // first: a row offered from now on arms the next tick
    tickDue.set(true);
    drain();
  }

  private void drain() {
    if (state.get() != State.STOPPED && draining.compareAndSet(false, true)) {
      drainLoop(new ArrayList<>());
    }
  }

  /**
   * Writes full batches while one is waiting, and one batch of whatever is queued once the flush
   * tick has fired. While a flush is waiting (or the writer is stopping) writes until the queue is
   * empty, then completes the flush waiters it has collected. Rows left behind (those that arrived
   * during the writes, short of a batch) wait for the next tick, armed here: not written back to
   * back in ever smaller batches.
   */
  private void drainLoop(List<Promise<Void>> covered) {
    synchronized (flushWaiters) {
      covered.addAll(flushWaiters);
      flushWaiters.clear();
    }
    boolean writeAll = tickDue.getAndSet(false) || !covered.isEmpty() || state.get() != State.RUNNING;
    List<BatchRow> rows = new ArrayList<>(Math.min(options.batchSize(), Math.max(1, queue.size())));
    if (state.get() != State.STOPPED && (writeAll || queue.size() >= fullBatch)) {
      queue.drainTo(rows, options.batchSize());
      taken(rows);
    }
    if (rows.isEmpty()) {
      draining.set(false);
      covered.forEach(Promise::tryComplete);
      boolean waiting;
      synchronized (flushWaiters) {
        waiting = !flushWaiters.isEmpty();
      }
      if (waiting || tickDue.get() || queue.size() >= fullBatch) {
        drain();
      } else if (!queue.isEmpty()) {
        armTick(); // the rows short of a batch wait for the tick (a no-op if one is pending)
      }
      return;
    }
    // No full batch behind this one: the writer keeps up, and its batch may yield the core to the
    // event loops between chunks. With a backlog it writes at full speed (BatchStore#insertBatchYielding).
    boolean keepingUp = queue.size() < fullBatch;
    Future<Void> done;
    try {
      done = writeBatch(rows, keepingUp);
    } catch (RuntimeException e) {
      LOG.error("Ledger batch write failed unexpectedly; journaling it", e);
      done = spill.write(rows);
    }
    done.onComplete(ar -> drainLoop(covered));
  }

  private Future<Void> writeBatch(List<BatchRow> rows, boolean yielding) {
    if (!storeHealthy) {
      return spill.write(rows);
    }
    Batch batch = new Batch(rows);
    inFlight.put(batch, Boolean.TRUE);
    return insert(rows, yielding).transform(ar -> {
      boolean mine = inFlight.remove(batch) != null;
      if (ar.succeeded()) {
        written.addAndGet(rows.size());
        return Future.succeededFuture();
      }
      storeFailed(ar.cause());
      return mine ? spill.write(rows) : Future.succeededFuture(); // not mine: the stop journaled it already
    });
  }

  /** A journal replay's batch: at full speed, it is a backlog by definition. */
  private Future<Integer> insert(List<BatchRow> rows) {
    return insert(rows, false);
  }

  /** {@code insertBatch} (or its yielding form), failed after {@code writeTimeout} if the store has not answered. */
  private Future<Integer> insert(List<BatchRow> rows, boolean yielding) {
    Promise<Integer> p = Promise.promise();
    LedgerTimers.Timer timer = scheduler.after(options.writeTimeout(),
        () -> p.tryFail(new TimeoutException("ledger insert took over " + options.writeTimeout())));
    try {
      (yielding ? store.insertBatchYielding(rows) : store.insertBatch(rows)).onComplete(ar -> {
        timer.cancel();
        if (ar.succeeded()) {
          p.tryComplete(ar.result());
        } else {
          p.tryFail(ar.cause());
        }
      });
    } catch (RuntimeException e) {
      timer.cancel();
      p.tryFail(e);
    }
    return p.future();
  }

  // ---- replaying the journal ------------------------------------------------------------------

  /**
   * The retry tick (every {@code retryInterval}; tests call it directly): a journal whose last write
   * failed is probed first, then the held rows go to the store, then the journal is replayed.
   * Completes when all are done; never fails.
   */
  Future<Void> retry() {
    Future<Void> probed = spill.failing() ? spill.probe() : Future.succeededFuture();
    return probed.compose(v -> writeHeld()).compose(v -> replayJournal()).recover(e -> Future.succeededFuture());
  }

  /**
   * The held rows into the store. Rows it takes prove it is back (they are real writes, unlike an empty
   * replay); if it fails they go to the journal, or back to the hold while that fails too. Never fails.
   */
  private Future<Void> writeHeld() {
    List<BatchRow> rows = spill.takeHeld();
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    return insert(rows).transform(ar -> {
      if (ar.succeeded()) {
        written.addAndGet(rows.size());
        storeBack("rows held in memory written");
        return Future.<Void>succeededFuture();
      }
      storeFailed(ar.cause());
      return spill.write(rows);
    });
  }

  /** A store write failed: batches go to the journal until the store is proven back ({@link #storeBack}). */
  private void storeFailed(Throwable cause) {
    failed.incrementAndGet();
    if (storeHealthy) {
      storeHealthy = false;
      LOG.warn("Ledger store write failed ({}); journaling rows until it takes rows again", cause.toString());
    }
  }

  /** The store took rows (a replay's, or those held): batches go to it again. */
  private void storeBack(String how) {
    if (!storeHealthy) {
      storeHealthy = true;
      LOG.info("Ledger store is back: {}", how);
    }
  }

  /** One replay at a time; a call while one runs returns at once. */
  private Future<Void> replayJournal() {
    if (!replaying.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    JournalReplay replay = new JournalReplay(spill.journal(), spill::run, options.batchSize(), this::insert,
        new JournalReplay.Counters() {
          @Override
          public void replayed(int rows) {
            replayed.addAndGet(rows);
          }

          @Override
          public void unreadable(long rows) {
            spill.dropped.addAndGet(rows);
          }
        });
    long replayedBefore = replayed.get();
    Future<Void> run;
    try {
      run = replay.run();
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    return run.transform(ar -> {
      replaying.set(false);
      if (ar.succeeded()) {
        // A replay of an empty journal proves nothing about the store. With the journal failing too, the
        // store is taken for back only once it took rows: else billed requests would be let in to fail.
        if (replayed.get() > replayedBefore || !spill.failing()) {
          storeBack("journal replayed");
        }
        return Future.<Void>succeededFuture();
      }
      storeFailed(ar.cause());
      LOG.warn("Ledger journal replay failed ({}); retrying in {}", ar.cause().toString(), options.retryInterval());
      return Future.<Void>failedFuture(ar.cause());
    });
  }

  // ---- stopping -------------------------------------------------------------------------------

  /** Journals what is left (and, after a timeout, the batches still in flight), closes the journal. */
  private void finish(boolean timedOut) {
    if (!finishing.compareAndSet(false, true)) {
      return;
    }
    state.set(State.STOPPED);
    List<BatchRow> rest = new ArrayList<>();
    if (timedOut) {
      for (Batch b : inFlight.keySet()) {
        if (inFlight.remove(b) != null) {
          rest.addAll(b.rows());
        }
      }
      LOG.warn("Ledger writer stop timed out: journaling {} in-flight and queued rows", rest.size() + queue.size());
    }
    int inFlightRows = rest.size();
    queue.drainTo(rest);
    taken(rest.subList(inFlightRows, rest.size()));
    spill.close(rest).onComplete(ar -> {
      synchronized (flushWaiters) {
        flushWaiters.forEach(Promise::tryComplete); // what they waited for is journaled now
        flushWaiters.clear();
      }
      LOG.info("Ledger writer stopped: written={} spilled={} replayed={} failed={} dropped={}", written(),
          spilled(), replayed(), failed(), dropped());
      stopped.tryComplete();
    });
  }

  private boolean reject(BatchRow row) {
    spill.dropped.incrementAndGet();
    LOG.warn("Ledger row {} offered after the writer stopped: not recorded", row.id());
    return false;
  }

  /** Rows left the queue: their bodies no longer count against {@code maxQueuedBodyBytes}. */
  private void taken(List<BatchRow> rows) {
    long bytes = 0;
    for (BatchRow r : rows) {
      bytes += r.bodyBytes();
    }
    if (bytes > 0) {
      queuedBodyBytes.addAndGet(-bytes);
    }
  }

  /** Body bytes held in the queue now. */
  long queuedBodyBytes() {
    return queuedBodyBytes.get();
  }

  /**
   * Test hook: the journal worker is held (as by a disk whose writes hang) until the latch it returns
   * is counted down.
   */
  CountDownLatch holdJournalForTest() {
    CountDownLatch release = new CountDownLatch(1);
    spill.run(() -> {
      release.await();
      return null;
    });
    return release;
  }

  /** Test hook: dies like {@code kill -9} would, keeping nothing that is only in memory. */
  Future<Void> crashForTest() {
    state.set(State.STOPPED);
    finishing.set(true);
    timers.forEach(LedgerTimers.Timer::cancel);
    cancelTick();
    queue.clear();
    queuedBodyBytes.set(0);
    return spill.crash();
  }
}
