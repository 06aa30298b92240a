package dev.sluice.store.audit;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The audit log contract on SQLite, one temporary database file per test. */
class SqliteAuditLogTest extends AuditLogContract {
  @TempDir
  Path dir;
  private int files;

  @Override
  String newStoreUrl() {
    return "sqlite:" + dir.resolve("db" + (++files) + "/sluice.db");
  }
}
