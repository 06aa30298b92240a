package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal side of the {@link LedgerWriter}: every file operation runs on one worker thread
 * of its own (so appends, sealing and replay reads never interleave, and never touch an event
 * loop). Rows reach it two ways: whole batches ({@link #write}) and single rows handed off by an
 * offer that found the queue full ({@link #handOff}), which are collected and appended together.
 * A row that cannot be appended (a full disk) is held in memory for the writer's next retry
 * ({@link #takeHeld}), within the same bound as the hand-off; past it, and when the journal is
 * closed with rows it cannot take, a row is counted in {@link #dropped} and logged, never silently
 * lost.
 *
 * <p>The hand-off is bounded ({@link OverflowBound}): it holds rows only while the worker appends
 * them, and a worker that cannot (a disk whose writes hang, a starved thread) would otherwise let it
 * grow with every request until the heap ran out, losing everything in memory at once.
 */
final class Spill {
  private static final Logger LOG = LoggerFactory.getLogger(Spill.class);

  private final Journal journal;
  private final WorkerExecutor worker;
  /** Rows handed off and not yet appended (or held, or dropped). */
  private final BoundedRows handedOff;
  private final AtomicBoolean handOffScheduled = new AtomicBoolean();
  private final OverflowBound bound;
  /** Rows the journal could not take, waiting in memory for a store or journal write: bounded like the hand-off. */
  private final BoundedRows held;
  final AtomicLong spilled = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  /** The last append failed (a full disk, say): from then until an append or a {@link #probe} succeeds. */
  private volatile boolean failing;

  Spill(Journal journal, WorkerExecutor worker, OverflowBound bound) {
    this.journal = journal;
    this.worker = worker;
    this.bound = bound;
    this.handedOff = new BoundedRows(bound.maxRows(), bound.maxBodyBytes());
    this.held = new BoundedRows(bound.maxRows(), bound.maxBodyBytes());
  }

  Journal journal() {
    return journal;
  }

  /** Runs blocking file work on the journal worker; a closed worker gives a failed future, never a throw. */
  <T> Future<T> run(Callable<T> work) {
    try {
      return worker.executeBlocking(work, false);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Appends a batch; always succeeds (rows the journal cannot take are held, or past the bound counted as dropped). */
  Future<Void> write(List<BatchRow> rows) {
    return this.<Void>run(() -> {
      appendOrHold(rows);
      return null;
    }).recover(e -> { // the worker is gone (a stop): nothing would retry them
      dropped.addAndGet(rows.size());
      LOG.error("Ledger journal unavailable: {} rows lost", rows.size(), e);
      return Future.succeededFuture();
    });
  }

  /** Rows held since the journal could not take them; they leave the hold with this call. */
  List<BatchRow> takeHeld() {
    return held.drain();
  }

  /** Rows held in memory because the journal could not take them. */
  int heldRows() {
    return held.rows();
  }

  /**
   * Takes one row to append soon, off the calling thread. Never blocks. False, and the row is not
   * taken, when the rows already waiting for the worker are at the {@linkplain OverflowBound bound}.
   */
  boolean handOff(BatchRow row) {
    if (!handedOff.add(row)) {
      return false;
    }
    scheduleHandOff();
    return true;
  }

  /** Takes back a row handed off a moment ago, if it is still waiting (an offer racing a stop). */
  boolean takeBack(BatchRow row) {
    return handedOff.remove(row);
  }

  /** Rows handed off that the worker has not appended yet. */
  int waitingRows() {
    return handedOff.rows();
  }

  /** Whether the rows waiting for the worker have reached the point where new work should be refused. */
  boolean behind() {
    return handedOff.rows() >= bound.behindRows() || handedOff.bodyBytes() >= bound.behindBodyBytes();
  }

  /** Whether the journal's last write failed: a row that needs it now would be lost. */
  boolean failing() {
    return failing;
  }

  /** Tries a write (a blank line replay skips); the journal is no longer {@link #failing} if it succeeds. */
  Future<Void> probe() {
    return this.<Void>run(() -> {
      journal.probe();
      if (failing) {
        failing = false;
        LOG.info("Ledger journal takes writes again");
      }
      return null;
    }).recover(e -> Future.succeededFuture());
  }

  /** Completes once every row handed off before the call is appended (or counted as dropped). */
  Future<Void> drainHandOffs() {
    return this.<Void>run(() -> {
      appendHandOffs();
      return null;
    }).recover(e -> Future.succeededFuture());
  }

  /**
   * Appends the rest, the rows still handed off and the rows held, then closes the journal (lock
   * included) and the worker. What the journal cannot take now is counted as dropped: nothing is
   * left to retry.
   */
  Future<Void> close(List<BatchRow> rest) {
    return this.<Void>run(() -> {
      List<BatchRow> last = new ArrayList<>(rest);
      last.addAll(handedOff.drain());
      last.addAll(held.drain());
      append(last);
      journal.close();
      return null;
    }).transform(ar -> {
      if (ar.failed()) {
        LOG.error("Closing the ledger journal failed", ar.cause());
      }
      return worker.close();
    });
  }

  /** Test hook: what {@code kill -9} does to this side — rows not yet appended are gone. */
  Future<Void> crash() {
    handedOff.clear();
    held.clear();
    return this.<Void>run(() -> {
      journal.close();
      return null;
    }).eventually(worker::close);
  }

  private void scheduleHandOff() {
    if (!handOffScheduled.compareAndSet(false, true)) {
      return;
    }
    run(() -> {
      appendHandOffs();
      return null;
    }).onComplete(ar -> {
      handOffScheduled.set(false);
      if (ar.failed()) {
        LOG.error("Ledger journal unavailable for rows that overflowed the queue", ar.cause());
        return;
      }
      if (!handedOff.isEmpty()) {
        scheduleHandOff();
      }
    });
  }

  /**
   * On the worker. The rows count against the hand-off's bound until they are appended (or held): until
   * then they are in memory.
   */
  private void appendHandOffs() {
    List<BatchRow> rows = handedOff.takeAll();
    try {
      appendOrHold(rows);
    } finally {
      handedOff.release(rows);
    }
  }

  /** On the worker: appended, or, when the journal cannot take them, held for the next retry. */
  private void appendOrHold(List<BatchRow> rows) {
    Exception failure = tryAppend(rows);
    if (failure != null) {
      hold(rows, failure);
    }
  }

  /** On the worker, when closing: appended, or counted as dropped. */
  private void append(List<BatchRow> rows) {
    Exception failure = tryAppend(rows);
    if (failure != null) {
      dropped.addAndGet(rows.size()); // counted before the state turns: who sees it failing sees the count
      failing = true;
      LOG.error("Cannot write the ledger journal while closing it: {} rows lost", rows.size(), failure);
    }
  }

  /** On the worker: null when appended (the journal is no longer {@link #failing}); else the failure. */
  private Exception tryAppend(List<BatchRow> rows) {
    if (rows.isEmpty()) {
      return null;
    }
    try {
      journal.append(rows);
      spilled.addAndGet(rows.size());
      failing = false;
      return null;
    } catch (IOException | RuntimeException e) {
      return e;
    }
  }

  /**
   * Keeps rows no journal write took, within the hand-off's bound in rows and body bytes (a row alone is
   * always kept, whatever its bodies); the rest are counted as dropped. Held before the journal is seen
   * failing, so a refusal that reads {@link #failing} finds the rows already held or counted.
   */
  private void hold(List<BatchRow> rows, Throwable cause) {
    int kept = 0;
    for (BatchRow r : rows) {
      if (held.add(r)) {
        kept++;
      }
    }
    int lost = rows.size() - kept;
    if (lost > 0) {
      dropped.addAndGet(lost);
    }
    failing = true;
    LOG.error("Cannot write the ledger journal: {} rows held in memory for the next retry ({} held in all), {} lost"
        + " past the bound", kept, held.rows(), lost, cause);
  }
}
