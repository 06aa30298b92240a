package dev.sluice.store;

import dev.sluice.store.requestlog.RequestRow;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** {@link BatchStore} over JDBC: ledger and request rows of one batch in one transaction. */
final class JdbcBatchStore implements BatchStore {
  private final Jdbc jdbc;

  JdbcBatchStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<Integer> insertBatch(List<? extends BatchRow> rows) {
    return insert(rows, ChunkedBatch.WHOLE);
  }

  @Override
  public Future<Integer> insertBatchYielding(List<? extends BatchRow> rows) {
    return insert(rows, jdbc.dialect().batchChunk);
  }

  /** One transaction; {@code chunk} rows per statement execution, the core given up between them. */
  private Future<Integer> insert(List<? extends BatchRow> rows, int chunk) {
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<LedgerRow> ledger = new ArrayList<>(rows.size());
    List<RequestRow> requests = new ArrayList<>();
    for (BatchRow r : rows) {
      if (r instanceof LedgerRow l) {
        ledger.add(l);
      } else if (r instanceof RequestRow q) {
        requests.add(q);
      }
    }
    Dialect dialect = jdbc.dialect();
    return jdbc.write(c -> JdbcLedgerStore.insert(c, dialect, ledger, chunk)
        + JdbcRequestLogStore.insert(c, dialect, requests, chunk));
  }
}
