package dev.sluice.store;

import java.sql.SQLException;

/**
 * One row's values, column by column in the INSERT's order, typed by the column they fill. The
 * same binding code feeds a per-row prepared statement ({@link StatementParams}: SQLite) and the
 * column arrays of one multi-row statement ({@link ColumnArrays}: PostgreSQL's {@code unnest}),
 * so the two engines cannot disagree on a column's order or type.
 */
interface RowParams {
  void text(String v) throws SQLException;

  void int4(int v) throws SQLException;

  void int8(long v) throws SQLException;

  /** A nullable BIGINT. */
  void int8(Long v) throws SQLException;

  void bool(boolean v) throws SQLException;

  /** Binds one row into {@code p}. */
  @FunctionalInterface
  interface Binder<R> {
    void bind(RowParams p, R row) throws SQLException;
  }
}
