package dev.sluice.store.audit;

import dev.sluice.testing.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The audit log contract on a real PostgreSQL started for this class; each test gets its own empty database. */
class PostgresAuditLogTest extends AuditLogContract {
  static EmbeddedPostgresServer pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  String newStoreUrl() throws Exception {
    return pg.newDatabaseUrl();
  }
}
