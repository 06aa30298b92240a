package dev.sluice.store;

import java.sql.SQLException;

/** What differs between the two engines; the SQL the repositories send is the same on both. */
enum Dialect {
  SQLITE("db/migration/sqlite", 16),
  POSTGRESQL("db/migration/postgresql", ChunkedBatch.WHOLE);

  /** SQLite's primary result code for a constraint failure, and its UNIQUE and PRIMARY KEY extended codes. */
  private static final int SQLITE_CONSTRAINT = 19;
  private static final int SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
  private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

  final String migrations;
  /**
   * Rows per statement execution when a batch is written yielding ({@link BatchStore#insertBatchYielding}):
   * SQLite's work runs on the store thread, and 16 rows are ~0.1–0.3 ms of it; PostgreSQL's runs in its
   * own process, where a batch is one round trip: whole.
   */
  final int batchChunk;

  Dialect(String migrations, int batchChunk) {
    this.migrations = migrations;
    this.batchChunk = batchChunk;
  }

  /** Whether a unique or primary-key constraint refused the write. */
  boolean isConflict(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        if (this == POSTGRESQL && "23505".equals(s.getSQLState())) {
          return true;
        }
        if (this == SQLITE) {
          int code = s.getErrorCode();
          if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return true;
          }
          String m = String.valueOf(s.getMessage());
          if (code == SQLITE_CONSTRAINT && (m.contains("UNIQUE") || m.contains("PRIMARY KEY"))) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
