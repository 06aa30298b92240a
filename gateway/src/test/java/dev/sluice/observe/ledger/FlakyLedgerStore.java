package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import dev.sluice.store.BatchStore;
import dev.sluice.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real {@link BatchStore} (the ledger writer's) with faults switched on and off by the test. */
final class FlakyLedgerStore implements BatchStore {
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

  private final BatchStore delegate;
  private final List<Promise<Void>> held = new CopyOnWriteArrayList<>();
  final AtomicInteger inserts = new AtomicInteger();
  /** Per insert, in order: whether the writer asked for the yielding form. */
  final List<Boolean> paces = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.NORMAL;

  FlakyLedgerStore(BatchStore delegate) {
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
  public Future<Integer> insertBatch(List<? extends BatchRow> rows) {
    paces.add(false);
    return insert(() -> delegate.insertBatch(rows));
  }

  @Override
  public Future<Integer> insertBatchYielding(List<? extends BatchRow> rows) {
    paces.add(true);
    return insert(() -> delegate.insertBatchYielding(rows));
  }

  private Future<Integer> insert(Supplier<Future<Integer>> write) {
    inserts.incrementAndGet();
    return switch (mode) {
      case NORMAL -> write.get();
      case DOWN -> Future.failedFuture(new StoreException("store down (test)", null, false));
      case COMMIT_THEN_FAIL -> write.get()
          .compose(n -> Future.failedFuture(new StoreException("reply lost after commit (test)", null, false)));
      case HOLD -> {
        Promise<Void> gate = Promise.promise();
        held.add(gate);
        yield gate.future().compose(v -> write.get());
      }
    };
  }
}
