package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * One pass of replaying the journal into the store: seal the active file, then for each segment,
 * oldest first, read a chunk on the journal worker, insert it, repeat; delete the segment once
 * every chunk is in. The first failed insert ends the pass (the segment stays, and is replayed
 * whole next time: ids make rows already inserted harmless).
 */
final class JournalReplay {
  private final Journal journal;
  private final Worker worker;
  private final int chunk;
  private final Function<List<BatchRow>, Future<Integer>> insert;
  private final Counters counters;

  /** Runs blocking file work off the event loop (the writer's journal worker). */
  interface Worker {
    <T> Future<T> run(Callable<T> work);
  }

  /** Where a replay reports. */
  interface Counters {
    void replayed(int rows);

    void unreadable(long rows);
  }

  JournalReplay(Journal journal, Worker worker, int chunk, Function<List<BatchRow>, Future<Integer>> insert,
      Counters counters) {
    this.journal = journal;
    this.worker = worker;
    this.chunk = chunk;
    this.insert = insert;
    this.counters = counters;
  }

  /** Completes when every segment is in the store, or fails with the first failed insert. */
  Future<Void> run() {
    return worker.<List<Path>>run(() -> {
      journal.sealActive();
      return journal.segments();
    }).compose(segments -> segments(segments, 0));
  }

  private Future<Void> segments(List<Path> segments, int i) {
    if (i == segments.size()) {
      return Future.succeededFuture();
    }
    return segment(segments.get(i)).compose(v -> segments(segments, i + 1));
  }

  private Future<Void> segment(Path path) {
    return worker.run(() -> new Journal.SegmentReader(path))
        .compose(reader -> chunks(reader)
            .eventually(() -> worker.run(() -> {
              reader.close();
              return null;
            }))
            .compose(v -> worker.run(() -> {
              journal.delete(path);
              counters.unreadable(reader.unreadable());
              return null;
            })));
  }

  private Future<Void> chunks(Journal.SegmentReader reader) {
    return worker.run(() -> reader.next(chunk)).compose(rows -> {
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
