package dev.sluice.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of rows into a PostgreSQL table as one statement: {@code INSERT INTO t (cols) SELECT *
 * FROM unnest(?::text[], ?::int8[], …) ON CONFLICT DO NOTHING}, one array parameter per column.
 *
 * <p>Why: a JDBC batch of a prepared INSERT goes in one round trip but is still one execution per
 * row on the server (bind, executor start-up, partition routing, the conflict check, executor
 * shut-down). On the ledger bench that made 146 µs of PostgreSQL's CPU per request (a ledger row, a
 * request-log row and their rollup upserts); one statement per table and batch made it 67 µs
 * (bench/results/ledger-cost.md, eleventh pass). The statement's text does not depend on the
 * batch's size, so the driver prepares it once per connection.
 */
final class UnnestInsert {
  private UnnestInsert() {}

  /** The statement for {@code table}'s {@code columns} (comma-separated), typed as {@code arrays} bound them. */
  static String sql(String table, String columns, ColumnArrays arrays, String returning) {
    return into(table, columns) + " " + select(arrays) + skipConflicts(returning);
  }

  private static String into(String table, String columns) {
    return "INSERT INTO " + table + " (" + columns + ")";
  }

  private static String skipConflicts(String returning) {
    return " ON CONFLICT DO NOTHING" + (returning == null ? "" : " RETURNING " + returning);
  }

  /** {@code SELECT * FROM unnest(?::text[], ?::int8[], …)}: one array parameter per column of {@code arrays}. */
  static String select(ColumnArrays arrays) {
    StringBuilder sb = new StringBuilder("SELECT * FROM unnest(");
    List<ColumnArrays.Column> cols = arrays.columns();
    for (int k = 0; k < cols.size(); k++) {
      sb.append(k == 0 ? "?::" : ", ?::").append(cols.get(k).type()).append("[]");
    }
    return sb.append(')').toString();
  }

  /**
   * Runs {@code insertInto + " SELECT * FROM unnest(…)" + tail} over {@code rows} (an upsert: the
   * tail is its {@code ON CONFLICT} clause); returns the update count.
   */
  static <R> int execute(Connection c, String insertInto, List<R> rows, RowParams.Binder<? super R> binder, String tail)
      throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    ColumnArrays arrays = ColumnArrays.of(rows, binder);
    try (PreparedStatement ps = c.prepareStatement(insertInto + " " + select(arrays) + tail)) {
      List<Array> bound = bind(c, ps, arrays);
      try {
        return ps.executeUpdate();
      } finally {
        free(bound);
      }
    }
  }

  /** Inserts {@code rows}; returns how many were inserted (a row already stored is skipped). */
  static <R> int insert(Connection c, String table, String columns, List<R> rows, RowParams.Binder<? super R> binder)
      throws SQLException {
    return execute(c, into(table, columns), rows, binder, skipConflicts(null));
  }

  /**
   * Inserts {@code rows} and returns the value of {@code returning} (one text expression over the
   * table's columns) for each row actually inserted, in no particular order.
   */
  static <R> List<String> insertReturning(Connection c, String table, String columns, List<R> rows,
      RowParams.Binder<? super R> binder, String returning) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    ColumnArrays arrays = ColumnArrays.of(rows, binder);
    try (PreparedStatement ps = c.prepareStatement(sql(table, columns, arrays, returning))) {
      List<Array> bound = bind(c, ps, arrays);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>(rows.size());
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      } finally {
        free(bound);
      }
    }
  }

  private static List<Array> bind(Connection c, PreparedStatement ps, ColumnArrays arrays) throws SQLException {
    List<ColumnArrays.Column> cols = arrays.columns();
    List<Array> bound = new ArrayList<>(cols.size());
    for (int k = 0; k < cols.size(); k++) {
      Array a = c.createArrayOf(cols.get(k).type(), cols.get(k).values());
      bound.add(a);
      ps.setArray(k + 1, a);
    }
    return bound;
  }

  private static void free(List<Array> arrays) throws SQLException {
    for (Array a : arrays) {
      a.free();
    }
  }
}
