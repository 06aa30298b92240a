package dev.sluice.observe.ledger;

import dev.sluice.store.LedgerRow;
import dev.sluice.store.LedgerStore;
import dev.sluice.store.SpendQuery;
import dev.sluice.store.SpendRow;
import dev.sluice.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real {@link LedgerStore} with faults switched on and off by the test. */
final class FlakyLedgerStore implements LedgerStore {
  enum Mode {
    /** Passes through. */
    NORMAL,
    /** Fails every insert, writing nothing. */
    DOWN,
    /** Commits the insert, then reports a failure (a lost reply or a timeout after commit). */
    COMMIT_THEN_FAIL,
    /** Holds every insert until {@link #release()}. */
    HOLD
  }

  private final LedgerStore delegate;
  private final List<Promise<Void>> held = new CopyOnWriteArrayList<>();
  final AtomicInteger inserts = new AtomicInteger();
  volatile Mode mode = Mode.NORMAL;

  FlakyLedgerStore(LedgerStore delegate) {
    this.delegate = delegate;
  }

  /** Lets held inserts through and stops holding. */
  void release() {
    mode = Mode.NORMAL;
    for (Promise<Void> gate : held) {
      held.remove(gate);
      gate.tryComplete();
    }
  }

  int holding() {
    return held.size();
  }

  @Override
  public Future<Integer> insertBatch(List<LedgerRow> rows) {
    inserts.incrementAndGet();
    return switch (mode) {
      case NORMAL -> delegate.insertBatch(rows);
      case DOWN -> Future.failedFuture(new StoreException("store down (test)", null, false));
      case COMMIT_THEN_FAIL -> delegate.insertBatch(rows)
          .compose(n -> Future.failedFuture(new StoreException("reply lost after commit (test)", null, false)));
      case HOLD -> {
        Promise<Void> gate = Promise.promise();
        held.add(gate);
        yield gate.future().compose(v -> delegate.insertBatch(rows));
      }
    };
  }

  @Override
  public Future<List<SpendRow>> spend(SpendQuery q) {
    return delegate.spend(q);
  }

  @Override
  public Future<Long> spentMicros(String scopeKind, String id, Instant from) {
    return delegate.spentMicros(scopeKind, id, from);
  }

  @Override
  public Future<List<LedgerRow>> rowsSince(Instant since) {
    return delegate.rowsSince(since);
  }
}
