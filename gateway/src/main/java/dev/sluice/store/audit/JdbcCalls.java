package dev.sluice.store.audit;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The store's JDBC layer as the audit log uses it. Implemented by the store over its own worker
 * pool and connections: each call runs on a {@code sluice-store-N} worker thread (never on an
 * event loop), and an {@link SQLException} fails the future with the store's {@code StoreException}.
 */
public interface JdbcCalls {

  /** Work done with a borrowed connection; blocking, so only ever run on the store's workers. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs {@code work} with a reader connection in auto-commit mode. */
  <T> Future<T> read(Work<T> work);

  /** Runs {@code work} in one transaction on a writer connection: committed if it returns, rolled back if it throws. */
  <T> Future<T> write(Work<T> work);
}
