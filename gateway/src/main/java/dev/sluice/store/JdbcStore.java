package dev.sluice.store;

import dev.sluice.store.audit.AuditLog;
import dev.sluice.store.audit.JdbcCalls;
import dev.sluice.store.requestlog.RequestLogStore;
import dev.sluice.store.stats.StatsStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/** The {@link Store} over JDBC: migrations, connections, and the repositories. */
final class JdbcStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  /** Worker thread names: {@code sluice-store-<n>-<thread>}. */
  static final String THREAD_PREFIX = "sluice-store-";
  private static final AtomicInteger SEQ = new AtomicInteger();
  /** How often the store checks that next month's partitions exist (PostgreSQL). */
  private static final java.time.Duration PARTITION_CHECK = java.time.Duration.ofDays(1);

  private final Jdbc jdbc;
  private final KeyRepository keys;
  private final TeamRepository teams;
  private final LedgerStore ledger;
  private final RequestLogStore requests;
  private final BatchStore batches;
  private final StatsStore stats;
  private final AuditLog audit;
  private final CanaryStateStore canaries;
  private final ShadowPairStore shadowPairs;
  private final StoredResponseStore storedResponses;
  private final Vertx vertx;
  /** The daily timer that keeps PostgreSQL's monthly partitions ahead ({@link PgPartitions}); -1 for none. */
  private final long partitionTimer;

  private JdbcStore(Vertx vertx, Jdbc jdbc) {
    this.vertx = vertx;
    this.jdbc = jdbc;
    this.keys = new JdbcKeyRepository(jdbc);
    this.teams = new JdbcTeamRepository(jdbc);
    this.ledger = new JdbcLedgerStore(jdbc);
    this.requests = new JdbcRequestLogStore(jdbc);
    this.batches = new JdbcBatchStore(jdbc);
    this.stats = new JdbcStatsStore(jdbc);
    this.canaries = new JdbcCanaryStateStore(jdbc);
    this.shadowPairs = new JdbcShadowPairStore(jdbc);
    this.storedResponses = new JdbcStoredResponseStore(jdbc);
    this.audit = AuditLog.jdbc(new JdbcCalls() {
      @Override
      public <T> Future<T> read(Work<T> work) {
        return jdbc.read(work::apply);
      }

      @Override
      public <T> Future<T> write(Work<T> work) {
        return jdbc.write(work::apply);
      }
    });
    this.partitionTimer = jdbc.dialect() == Dialect.POSTGRESQL
        ? vertx.setPeriodic(PARTITION_CHECK.toMillis(), id -> ensurePartitions()) : -1; // timer ids start at 0
  }

  /**
   * Creates the monthly partitions of the current and the next month if missing (PostgreSQL). A
   * failure is logged, not fatal: rows of a month without its partition land in the default one.
   */
  private Future<Integer> ensurePartitions() {
    return jdbc.read(c -> PgPartitions.ensure(c, java.time.Instant.now()))
        .onFailure(e -> LOG.warn("Could not create the coming months' partitions; retried in a day: {}", e.toString()));
  }

  static Future<Store> open(Vertx vertx, StoreUrl url, StoreOptions options) {
    int threads = url.dialect() == Dialect.SQLITE ? options.connections() + 1 : options.connections();
    WorkerExecutor executor = vertx.createSharedWorkerExecutor(THREAD_PREFIX + SEQ.incrementAndGet(), threads);
    return executor.<Jdbc>executeBlocking(() -> {
      migrate(url);
      Jdbc jdbc = connect(url, options, executor);
      LOG.info("Store open: {}", url);
      return jdbc;
    }, false).compose(jdbc -> {
      JdbcStore store = new JdbcStore(vertx, jdbc);
      return store.jdbc.dialect() == Dialect.POSTGRESQL
          ? store.ensurePartitions().<Store>transform(ar -> Future.succeededFuture(store))
          : Future.<Store>succeededFuture(store);
    }).recover(e -> executor.close().transform(ignored -> Future.<Store>failedFuture(e)));
  }

  Jdbc jdbc() {
    return jdbc;
  }

  @Override
  public KeyRepository keys() {
    return keys;
  }

  @Override
  public TeamRepository teams() {
    return teams;
  }

  @Override
  public LedgerStore ledger() {
    return ledger;
  }

  @Override
  public RequestLogStore requests() {
    return requests;
  }

  @Override
  public BatchStore batches() {
    return batches;
  }

  @Override
  public ShadowPairStore shadowPairs() {
    return shadowPairs;
  }

  @Override
  public StoredResponseStore storedResponses() {
    return storedResponses;
  }

  @Override
  public StatsStore stats() {
    return stats;
  }

  @Override
  public AuditLog audit() {
    return audit;
  }

  @Override
  public CanaryStateStore canaries() {
    return canaries;
  }

  @Override
  public Future<Void> close() {
    if (partitionTimer >= 0) {
      vertx.cancelTimer(partitionTimer);
    }
    return jdbc.close();
  }

  private static void migrate(StoreUrl url) throws Exception {
    if (url.sqlitePath() != null && url.sqlitePath().getParent() != null) {
      Files.createDirectories(url.sqlitePath().getParent());
    }
    Flyway.configure(JdbcStore.class.getClassLoader())
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:" + url.dialect().migrations)
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }

  private static Jdbc connect(StoreUrl url, StoreOptions options, WorkerExecutor executor) throws SQLException {
    long waitMillis = options.busyTimeout().toMillis();
    if (url.dialect() == Dialect.SQLITE) {
      ConnectionPool writer = new ConnectionPool("SQLite writer", 1, waitMillis, () -> sqlite(url, options, true));
      writer.warm(); // first, so the file is in WAL mode before any reader opens it
      ConnectionPool readers = new ConnectionPool("SQLite reader", options.connections(), waitMillis,
          () -> sqlite(url, options, false));
      readers.warm();
      return new Jdbc(Dialect.SQLITE, executor, readers, writer);
    }
    Properties props = new Properties();
    if (url.user() != null) {
      props.setProperty("user", url.user());
    }
    if (url.password() != null) {
      props.setProperty("password", url.password());
    }
    props.setProperty("connectTimeout", String.valueOf(Math.max(1, options.busyTimeout().toSeconds())));
    props.setProperty("ApplicationName", "sluice");
    ConnectionPool pool = new ConnectionPool("PostgreSQL", options.connections(), waitMillis,
        () -> DriverManager.getConnection(url.jdbcUrl(), props));
    pool.warm();
    return new Jdbc(Dialect.POSTGRESQL, executor, pool, pool);
  }

  private static Connection sqlite(StoreUrl url, StoreOptions options, boolean writer) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    if (writer) {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      // Take the write lock when the transaction begins, so a busy database waits (busy_timeout)
      // instead of failing a transaction half-way when it first writes.
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    Connection c = DriverManager.getConnection(url.jdbcUrl(), config.toProperties());
    if (!writer) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA query_only = ON");
      }
    }
    return c;
  }
}
