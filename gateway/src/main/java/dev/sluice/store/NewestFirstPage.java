package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyset paging over a table ordered newest first by {@code (ts, id)}: the request log and the
 * audit log. A page asks for one row more than its limit; that row only says another page follows.
 * Blocking: run on the store's workers.
 */
public final class NewestFirstPage {
  /** Reads one row of the current result-set position. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private NewestFirstPage() {}

  /**
   * Appends the time window ({@code from} inclusive, {@code to} exclusive, either null for open),
   * the position after which the page starts ({@code afterId} null for the first page), the order
   * and the limit to a {@code WHERE ...} already under way.
   */
  public static void window(StringBuilder sql, List<Object> params, Instant from, Instant to, long afterTsMillis,
      String afterId, int limit) {
    if (from != null) {
      sql.append(" AND ts >= ?");
      params.add(from.toEpochMilli());
    }
    if (to != null) {
      sql.append(" AND ts < ?");
      params.add(to.toEpochMilli());
    }
    if (afterId != null) {
      sql.append(" AND (ts, id) < (?, ?)");
      params.add(afterTsMillis);
      params.add(afterId);
    }
    sql.append(" ORDER BY ts DESC, id DESC LIMIT ?");
    params.add(limit + 1);
  }

  /** Runs the query built by {@link #window}; up to {@code limit + 1} rows, newest first. */
  public static <T> List<T> fetch(Connection c, CharSequence sql, List<Object> params, int limit, RowReader<T> reader)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      List<T> rows = new ArrayList<>(Math.min(limit + 1, 64));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
      }
      return rows;
    }
  }
}
