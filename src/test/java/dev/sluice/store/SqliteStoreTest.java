package dev.sluice.store;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, one temporary database file per test. */
class SqliteStoreTest extends StoreContract {
  @TempDir
  Path dir;
  private int files;

  @Override
  String newStoreUrl() {
    return "sqlite:" + dir.resolve("nested/db" + (++files) + "/sluice.db");
  }

  @Test
  void theDatabaseIsInWalModeAndSynchronousNormal() throws Exception {
    Path file = dir.resolve("nested/db" + files + "/sluice.db");
    assertThat(file).exists();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
    assertThat(Files.exists(file.resolveSibling("sluice.db-wal"))).isTrue();
  }

  @Test
  void rejectsUrlsItCannotServe() {
    assertThat(failure(Store.open(vertx, "sqlite::memory:"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(Store.open(vertx, "mysql://x"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(Store.open(vertx, "postgresql://u:secret@127.0.0.1:1/none")))
        .isInstanceOf(org.flywaydb.core.api.FlywayException.class).hasMessageNotContaining("secret");
  }

  @Test
  void readersSeeWhatTheWriterCommitted() {
    for (int i = 0; i < 20; i++) {
      await(store.teams().upsert(Team.named("t" + i, T0)));
      assertThat(await(store.teams().find("t" + i))).isPresent();
    }
  }
}
