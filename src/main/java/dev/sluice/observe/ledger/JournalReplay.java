package dev.sluice.observe.ledger;

import dev.sluice.store.LedgerRow;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One pass of replaying the journal into the store: seal the active file, then for each segment,
 * oldest first, read a chunk on the journal worker, insert it, repeat; delete the segment once
 * every chunk is in. The first failed insert ends the pass (the segment stays, and is replayed
 * whole next time: ids make rows already inserted harmless).
 */
final class JournalReplay {
  private final Journal journal;
  private final WorkerExecutor worker;
  private final int chunk;
  private final Function<List<LedgerRow>, Future<Integer>> insert;
  private final Counters counters;

  /** Where a replay reports. */
  interface Counters {
    void replayed(int rows);

    void unreadable(long rows);
  }

  JournalReplay(Journal journal, WorkerExecutor worker, int chunk, Function<List<LedgerRow>, Future<Integer>> insert,
      Counters counters) {
    this.journal = journal;
    this.worker = worker;
    this.chunk = chunk;
    this.insert = insert;
    this.counters = counters;
  }

  /** Completes when every segment is in the store, or fails with the first failed insert. */
  Future<Void> run() {
    return worker.<List<Path>>executeBlocking(() -> {
      journal.sealActive();
      return journal.segments();
    }, false).compose(segments -> segments(segments, 0));
  }

  private Future<Void> segments(List<Path> segments, int i) {
    if (i == segments.size()) {
      return Future.succeededFuture();
    }
    return segment(segments.get(i)).compose(v -> segments(segments, i + 1));
  }

  private Future<Void> segment(Path path) {
    return worker.executeBlocking(() -> new Journal.SegmentReader(path), false)
        .compose(reader -> chunks(reader)
            .eventually(() -> worker.executeBlocking(() -> {
              reader.close();
              return null;
            }, false))
            .compose(v -> worker.executeBlocking(() -> {
              journal.delete(path);
              counters.unreadable(reader.unreadable());
              return null;
            }, false)));
  }

  private Future<Void> chunks(Journal.SegmentReader reader) {
    return worker.executeBlocking(() -> reader.next(chunk), false).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      return insert.apply(rows).compose(n -> {
        counters.replayed(rows.size());
        return chunks(reader);
      });
    });
  }
}
