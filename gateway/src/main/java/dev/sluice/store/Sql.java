package dev.sluice.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Nullable parameters and columns, the same way on both engines. */
final class Sql {
  private Sql() {}

  static void setString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  static Long getLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** Binds a budget's three columns at {@code i, i+1, i+2}; all NULL for no budget. */
  static void setBudget(PreparedStatement ps, int i, Budget b) throws SQLException {
    setLong(ps, i, b == null ? null : b.micros());
    setString(ps, i + 1, b == null ? null : b.period().wire());
    setString(ps, i + 2, b == null ? null : b.mode().wire());
  }

  /** A budget from its columns; a missing period or mode (written by hand) reads as total / hard. */
  static Budget getBudget(ResultSet rs) throws SQLException {
    Long micros = getLong(rs, "budget_micros");
    if (micros == null) {
      return null;
    }
    String period = rs.getString("budget_period");
    String mode = rs.getString("budget_mode");
    return new Budget(micros, period == null ? Budget.Period.TOTAL : Budget.Period.parse(period),
        mode == null ? Budget.Mode.HARD : Budget.Mode.parse(mode));
  }
}
