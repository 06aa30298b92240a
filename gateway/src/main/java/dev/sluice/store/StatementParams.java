package dev.sluice.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** {@link RowParams} onto a prepared statement's parameters 1, 2, 3, …; {@link #row} starts each row over. */
final class StatementParams implements RowParams {
  private final PreparedStatement ps;
  private int i;

  StatementParams(PreparedStatement ps) {
    this.ps = ps;
  }

  /** Binds {@code row} as the statement's parameters from the first on. */
  <R> void row(RowParams.Binder<? super R> binder, R row) throws SQLException {
    i = 0;
    binder.bind(this, row);
  }

  @Override
  public void text(String v) throws SQLException {
    Sql.setString(ps, ++i, v);
  }

  @Override
  public void int4(int v) throws SQLException {
    ps.setInt(++i, v);
  }

  @Override
  public void int8(long v) throws SQLException {
    ps.setLong(++i, v);
  }

  @Override
  public void int8(Long v) throws SQLException {
    Sql.setLong(ps, ++i, v);
  }

  @Override
  public void bool(boolean v) throws SQLException {
    ps.setBoolean(++i, v);
  }
}
