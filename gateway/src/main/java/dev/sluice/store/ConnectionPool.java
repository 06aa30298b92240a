package dev.sluice.store;

import io.vertx.core.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed number of JDBC connections, each lent to one call at a time. A connection is opened on
 * first use; one that broke (connection-class SQLSTATE {@code 08…}, closed, or no longer valid
 * after an error) is closed and reopened on the slot's next use, so the store recovers by itself
 * when the engine comes back. Blocking: use only from the store's worker threads, which
 * {@link #with} checks (JDBC never runs on an event loop).
 */
final class ConnectionPool {

  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  /** A place for one connection; {@code connection == null} until opened, or after it broke. */
  private static final class Slot {
    Connection connection;
  }

  private final String name;
  private final Opener opener;
  private final long waitMillis;
  private final int size;
  private final BlockingQueue<Slot> idle;

  ConnectionPool(String name, int size, long waitMillis, Opener opener) {
    this.name = name;
    this.size = size;
    this.waitMillis = waitMillis;
    this.opener = opener;
    this.idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      idle.add(new Slot());
    }
  }

  /** Opens every connection now, so that a bad URL or password fails at start, not at first use. */
  void warm() throws SQLException {
    for (int i = 0; i < size; i++) {
      with(c -> null);
    }
  }

  /** Runs {@code work} with a connection, waiting up to the pool's wait time for a free one. */
  <T> T with(SqlWork<T> work) throws SQLException {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("JDBC on an event loop thread (" + Thread.currentThread().getName()
          + "): store calls must run on the store's worker pool");
    }
    Slot slot;
    try {
      slot = idle.poll(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a " + name + " connection", "08001", e);
    }
    if (slot == null) {
      throw new SQLException("no free " + name + " connection within " + waitMillis + " ms", "08001");
    }
    try {
      if (slot.connection == null) {
        slot.connection = opener.open();
      }
      return work.apply(slot.connection);
    } catch (SQLException | RuntimeException e) {
      if (broken(slot.connection, e)) {
        closeQuietly(slot.connection);
        slot.connection = null;
      }
      throw e;
    } finally {
      idle.add(slot);
    }
  }

  /** Waits (up to the wait time) for connections in use to come back, then closes them all. */
  void close() {
    List<Slot> taken = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (taken.size() < size) {
      Slot s;
      try {
        s = idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (s == null) {
        break;
      }
      taken.add(s);
    }
    for (Slot s : taken) {
      closeQuietly(s.connection);
      s.connection = null;
    }
  }

  private static boolean broken(Connection c, Exception e) {
    if (c == null) {
      return false;
    }
    if (e instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
      return true;
    }
    try {
      return c.isClosed() || !c.isValid(2);
    } catch (SQLException ignored) {
      return true;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing a broken connection: nothing more to do
      }
    }
  }
}
