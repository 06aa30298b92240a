package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal side of the {@link LedgerWriter}: every file operation runs on one worker thread
 * of its own (so appends, sealing and replay reads never interleave, and never touch an event
 * loop). Rows reach it two ways: whole batches ({@link #write}) and single rows handed off by an
 * offer that found the queue full ({@link #handOff}), which are collected and appended together.
 * A row that cannot be appended is counted in {@link #dropped} and logged, never silently lost.
 *
 * <p>The hand-off is bounded ({@link OverflowBound}): it holds rows only while the worker appends
 * them, and a worker that cannot (a disk whose writes hang, a starved thread) would otherwise let it
 * grow with every request until the heap ran out, losing everything in memory at once.
 */
final class Spill {
  private static final Logger LOG = LoggerFactory.getLogger(Spill.class);

  private final Journal journal;
  private final WorkerExecutor worker;
  private final ConcurrentLinkedQueue<BatchRow> handedOff = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean handOffScheduled = new AtomicBoolean();
  private final OverflowBound bound;
  /** Rows handed off and not yet appended (or dropped), and their body bytes. */
  private final AtomicInteger handOffRows = new AtomicInteger();
  private final AtomicLong handOffBodyBytes = new AtomicLong();
  final AtomicLong spilled = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  /** The last append failed (a full disk, say): from then until an append or a {@link #probe} succeeds. */
  private volatile boolean failing;

  Spill(Journal journal, WorkerExecutor worker, OverflowBound bound) {
    this.journal = journal;
    this.worker = worker;
    this.bound = bound;
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

  /** Appends a batch; always succeeds (a failure is counted as dropped). */
  Future<Void> write(List<BatchRow> rows) {
    return this.<Void>run(() -> {
      append(rows);
      return null;
    }).recover(e -> {
      dropped.addAndGet(rows.size());
      LOG.error("Ledger journal unavailable: {} rows lost", rows.size(), e);
      return Future.succeededFuture();
    });
  }

  /**
   * Takes one row to append soon, off the calling thread. Never blocks. False, and the row is not
   * taken, when the rows already waiting for the worker are at the {@linkplain OverflowBound bound}.
   */
  boolean handOff(BatchRow row) {
    long bytes = row.bodyBytes();
    if (handOffRows.incrementAndGet() > bound.maxRows()) {
      handOffRows.decrementAndGet();
      return false;
    }
    // A row is never refused for its bodies alone: with nothing else waiting it is taken whatever its size.
    long before = bytes > 0 ? handOffBodyBytes.getAndAdd(bytes) : 0;
    if (before > 0 && before + bytes > bound.maxBodyBytes()) {
      handOffBodyBytes.addAndGet(-bytes);
      handOffRows.decrementAndGet();
      return false;
    }
    handedOff.add(row);
    scheduleHandOff();
    return true;
  }

  /** Takes back a row handed off a moment ago, if it is still waiting (an offer racing a stop). */
  boolean takeBack(BatchRow row) {
    if (!handedOff.remove(row)) {
      return false;
    }
    released(List.of(row));
    return true;
  }

  /** Rows handed off that the worker has not appended yet. */
  int waitingRows() {
    return handOffRows.get();
  }

  /** Whether the rows waiting for the worker have reached the point where new work should be refused. */
  boolean behind() {
    return handOffRows.get() >= bound.behindRows() || handOffBodyBytes.get() >= bound.behindBodyBytes();
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

  /** Appends the rest and the rows still handed off, then closes the journal (lock included) and the worker. */
  Future<Void> close(List<BatchRow> rest) {
    return this.<Void>run(() -> {
      appendHandOffs();
      append(rest);
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
    handOffRows.set(0);
    handOffBodyBytes.set(0);
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

  /** On the worker. The rows count against the bound until they are appended: until then they are in memory. */
  private void appendHandOffs() {
    List<BatchRow> rows = new ArrayList<>();
    for (BatchRow r; (r = handedOff.poll()) != null; ) {
      rows.add(r);
    }
    try {
      append(rows);
    } finally {
      released(rows);
    }
  }

  private void released(List<BatchRow> rows) {
    long bytes = 0;
    for (BatchRow r : rows) {
      bytes += r.bodyBytes();
    }
    handOffRows.addAndGet(-rows.size());
    if (bytes > 0) {
      handOffBodyBytes.addAndGet(-bytes);
    }
  }

  /** On the worker. */
  private void append(List<BatchRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try {
      journal.append(rows);
      spilled.addAndGet(rows.size());
      failing = false;
    } catch (IOException | RuntimeException e) {
      dropped.addAndGet(rows.size()); // counted before the state turns: who sees it failing sees the count
      failing = true;
      LOG.error("Cannot write the ledger journal: {} rows lost", rows.size(), e);
    }
  }
}
