package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Retention deletes: a bounded batch of old rows per statement, so no delete holds the writer long. */
final class Purge {
  private Purge() {}

  /**
   * Deletes at most {@code max} rows of {@code table} with {@code ts < cutoff}, found through the
   * table's ts index; the same SQL on both engines.
   */
  static int before(Connection c, String table, String key, Instant cutoff, int max) throws SQLException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive");
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key
        + " FROM " + table + " WHERE ts < ? LIMIT ?)")) {
      ps.setLong(1, cutoff.toEpochMilli());
      ps.setInt(2, max);
      return ps.executeUpdate();
    }
  }

  /**
   * As {@link #before}, for a table partitioned by {@code ts} (PostgreSQL, V12): its rows are
   * named by {@code (ts, id)}, which its unique key holds, since {@code id} alone has no index
   * that spans the partitions.
   */
  static int beforeInPartitions(Connection c, String table, Instant cutoff, int max) throws SQLException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive");
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE (ts, id) IN (SELECT ts, id FROM "
        + table + " WHERE ts < ? LIMIT ?)")) {
      ps.setLong(1, cutoff.toEpochMilli());
      ps.setInt(2, max);
      return ps.executeUpdate();
    }
  }
}
