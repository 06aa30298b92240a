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
}
