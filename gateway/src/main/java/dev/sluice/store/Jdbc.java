package dev.sluice.store;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where store calls run: each is a task on the store's own {@link WorkerExecutor} (unordered, so
 * calls run in parallel up to the pool size), borrowing a connection from the reader or writer
 * pool. Writes run in one transaction each. {@link SQLException}s come back as
 * {@link StoreException}s.
 */
final class Jdbc {
  private final Dialect dialect;
  private final WorkerExecutor executor;
  private final ConnectionPool readers;
  private final ConnectionPool writers;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** {@code readers} may be the same pool as {@code writers} (PostgreSQL). */
  Jdbc(Dialect dialect, WorkerExecutor executor, ConnectionPool readers, ConnectionPool writers) {
    this.dialect = dialect;
    this.executor = executor;
    this.readers = readers;
    this.writers = writers;
  }

  Dialect dialect() {
    return dialect;
  }

  /** Runs {@code work} on a worker thread with a connection in auto-commit mode. */
  <T> Future<T> read(ConnectionPool.SqlWork<T> work) {
    return run(readers, work);
  }

  /** Runs {@code work} on a worker thread in one transaction: committed if it returns, rolled back if it throws. */
  <T> Future<T> write(ConnectionPool.SqlWork<T> work) {
    return run(writers, c -> {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        restoreAutoCommit(c);
      }
    });
  }

  private <T> Future<T> run(ConnectionPool pool, ConnectionPool.SqlWork<T> work) {
    if (closed.get()) {
      return Future.failedFuture(new StoreException("the store is closed", null, false));
    }
    return executor.executeBlocking(() -> {
      try {
        return pool.with(work);
      } catch (SQLException e) {
        throw new StoreException(e.getMessage(), e, dialect.isConflict(e));
      }
    }, false);
  }

  /** Closes both pools on a worker thread (waiting for calls in flight), then the executor. */
  Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return executor.<Void>executeBlocking(() -> {
      writers.close();
      if (readers != writers) {
        readers.close();
      }
      return null;
    }, false).eventually(executor::close);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is likely broken; the pool replaces it
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      if (!c.isClosed()) {
        c.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // as above
    }
  }
}
