package dev.sluice.store;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void theWriterRunsInWalModeWithSynchronousNormalAndABusyTimeout() throws Exception {
    Jdbc jdbc = ((JdbcStore) store).jdbc();
    String pragmas = await(jdbc.write(c -> {
      StringBuilder out = new StringBuilder();
      try (Statement s = c.createStatement()) {
        for (String pragma : new String[] {"journal_mode", "synchronous", "busy_timeout"}) {
          try (ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            rs.next();
            out.append(pragma).append('=').append(rs.getString(1)).append(' ');
          }
        }
      }
      return out.toString().trim();
    }));
    assertThat(pragmas).isEqualTo("journal_mode=wal synchronous=1 busy_timeout=5000"); // 1 = NORMAL
    Path file = dir.resolve("nested/db" + files + "/sluice.db");
    assertThat(Files.exists(file.resolveSibling("sluice.db-wal"))).isTrue();
  }

  @Test
  void readerConnectionsCannotWrite() {
    Jdbc jdbc = ((JdbcStore) store).jdbc();
    Throwable t = failure(jdbc.read(c -> {
      try (Statement s = c.createStatement()) {
        return s.executeUpdate("INSERT INTO teams (name, created_at) VALUES ('x', 0)");
      }
    }));
    assertThat(t).isInstanceOf(StoreException.class);
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
