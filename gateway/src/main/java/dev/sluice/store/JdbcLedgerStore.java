package dev.sluice.store;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class JdbcLedgerStore implements LedgerStore {
  private static final String COLUMNS = "id, request_id, attempt_no, ts, key_name, key_id, team, model_entry, "
      + "provider, target_model, status, error_class, outcome, input_tokens, output_tokens, cached_read_tokens, "
      + "cache_write_tokens, reasoning_tokens, cost_micros, price_known, estimated, latency_ms, ttft_ms, stream, "
      + "client_disconnected, hedge, retry, fallback, started_at, kind, saved_micros, route, route_cost_micros, "
      + "route_baseline_micros, uncached_cost_micros";
  /**
   * No conflict target: the row's unique key is {@code id} on SQLite and {@code (ts, id)} on
   * PostgreSQL, whose partitioned ledger (V12) can only be unique with its partition key; a row
   * written again has the same ts (the journal keeps it to the millisecond), so either way it conflicts.
   */
  private static final String INSERT = "INSERT INTO ledger (" + COLUMNS + ") VALUES ("
      + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT DO NOTHING";
  /** PostgreSQL's unique key of an inserted row, {@code (ts, id)}, as one text: {@code "<ts> <id>"}. */
  private static final String RETURNED_KEY = "ts::text || ' ' || id";
  /**
   * Shadow calls ({@code kind = 'shadow'}) are charged to the shadow account, never to a client's key
   * or team: every read of a key's or team's spend (budgets, headroom, reports) leaves them out.
   */
  private static final String NOT_SHADOW = "kind <> 'shadow'";

  private final Jdbc jdbc;

  JdbcLedgerStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<Integer> insertBatch(List<LedgerRow> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<LedgerRow> batch = List.copyOf(rows);
    return jdbc.write(c -> insert(c, jdbc.dialect(), batch, ChunkedBatch.WHOLE));
  }

  /**
   * Inserts within the caller's transaction and adds the rows actually inserted to the hourly rollup
   * in the same transaction, so a replayed row (already stored) adds nothing twice; returns how many
   * were inserted. SQLite: one execution per row, {@code chunk} rows per {@code executeBatch}
   * ({@link ChunkedBatch}), and each row's update count (1 inserted, 0 already there) says which.
   * PostgreSQL: the whole batch in one statement ({@link UnnestInsert}), which returns each inserted
   * row's {@code (ts, id)}.
   */
  static int insert(Connection c, Dialect dialect, List<LedgerRow> rows, int chunk) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    List<LedgerRow> added = dialect == Dialect.POSTGRESQL ? insertedOf(rows,
        UnnestInsert.insertReturning(c, "ledger", COLUMNS, rows, JdbcLedgerStore::bind, RETURNED_KEY))
        : insertedOf(rows, insertEach(c, rows, chunk));
    JdbcLedgerRollup.add(c, dialect, added);
    return added.size();
  }

  private static int[] insertEach(Connection c, List<LedgerRow> rows, int chunk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      return ChunkedBatch.execute(ps, rows, chunk, JdbcLedgerStore::bind);
    }
  }

  /** The rows whose update count is 1. */
  private static List<LedgerRow> insertedOf(List<LedgerRow> rows, int[] counts) throws SQLException {
    List<LedgerRow> added = new ArrayList<>(rows.size());
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 1) {
        added.add(rows.get(i));
      } else if (counts[i] != 0) {
        // Not knowing which rows are new, the rollup could count a replayed row twice: refuse the batch.
        throw new SQLException("the driver did not report which ledger rows were inserted (count " + counts[i] + ")");
      }
    }
    return added;
  }

  /**
   * The rows whose keys the insert returned ({@link #RETURNED_KEY}), in batch order: a row offered
   * twice in one batch is inserted once, so its key is returned once and only its first copy counts.
   */
  private static List<LedgerRow> insertedOf(List<LedgerRow> rows, List<String> insertedKeys) {
    Map<String, Integer> left = new HashMap<>(insertedKeys.size() * 2);
    for (String key : insertedKeys) {
      left.merge(key, 1, Integer::sum);
    }
    List<LedgerRow> added = new ArrayList<>(insertedKeys.size());
    for (LedgerRow r : rows) {
      String key = r.ts().toEpochMilli() + " " + r.id();
      Integer n = left.get(key);
      if (n != null && n > 0) {
        added.add(r);
        left.put(key, n - 1);
      }
    }
    return added;
  }

  /** Sums a batch's update counts; a driver that cannot tell (SUCCESS_NO_INFO) is counted as inserted. */
  static int inserted(int[] counts) {
    int inserted = 0;
    for (int n : counts) {
      inserted += n == Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, n);
    }
    return inserted;
  }

  /**
   * A request's attempts, by attempt number; only {@code keyName}'s when it is not null. On SQLite
   * through the id key's range (an id is {@code requestId:attemptNo}, and ':' + 1 is ';' in its binary
   * order; the request_id check drops another request's {@code requestId:x:n}): V14 dropped the
   * request_id index there. PostgreSQL reads its request_id index.
   */
  static List<LedgerRow> attempts(Connection c, Dialect dialect, String requestId, String keyName)
      throws SQLException {
    boolean byId = dialect == Dialect.SQLITE;
    String sql = "SELECT " + COLUMNS + " FROM ledger WHERE request_id = ?" + (byId ? " AND id >= ? AND id < ?" : "")
        // (+key_name on SQLite: checked on the rows of the id range, not a reason to scan the key's index)
        + (keyName == null ? "" : byId ? " AND +key_name = ?" : " AND key_name = ?");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 0;
      ps.setString(++i, requestId);
      if (byId) {
        ps.setString(++i, requestId + ':');
        ps.setString(++i, requestId + ';');
      }
      if (keyName != null) {
        ps.setString(++i, keyName);
      }
      List<LedgerRow> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      out.sort(Comparator.comparingInt(LedgerRow::attemptNo));
      return out;
    }
  }

  @Override
  public Future<Integer> deleteBefore(Instant cutoff, int max) {
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      // Whole months first (dropped partitions), then the rows of the month at the edge.
      return jdbc.write(c -> PgPartitions.dropBefore(c, "ledger", cutoff)).compose(dropped -> jdbc.write(c -> {
        int deleted = Purge.beforeInPartitions(c, "ledger", cutoff, max);
        if (deleted < max) {
          JdbcLedgerRollup.deleteBefore(c, cutoff);
        }
        return dropped + deleted;
      }));
    }
    return jdbc.write(c -> {
      int deleted = Purge.before(c, "ledger", "id", cutoff, max);
      if (deleted < max) {
        JdbcLedgerRollup.deleteBefore(c, cutoff); // the rows are gone up to the cutoff: so are their whole hours
      }
      return deleted;
    });
  }

  @Override
  public Future<List<LedgerTotals>> totals(Instant from, Instant to, LedgerTotals.By by) {
    return jdbc.read(c -> JdbcLedgerRollup.totals(c, from, to, by));
  }

  @Override
  public Future<List<SpendRow>> spend(SpendQuery q) {
    return jdbc.read(c -> JdbcSpendReport.spend(c, q));
  }

  @Override
  public Future<Long> spentMicros(String scopeKind, String id, Instant from) {
    String column = switch (scopeKind) {
      case "key" -> "key_name";
      case "team" -> "team";
      default -> null;
    };
    if (column == null) {
      return Future.failedFuture(new IllegalArgumentException("scope kind is key or team, not " + scopeKind));
    }
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COALESCE(SUM(cost_micros), 0) FROM ledger WHERE " + column + " = ? AND ts >= ? AND " + NOT_SHADOW)) {
        ps.setString(1, id);
        ps.setLong(2, from.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public Future<java.util.Map<String, Long>> spentMicrosByName(String scopeKind, Instant from) {
    String column = switch (scopeKind) {
      case "key" -> "key_name";
      case "team" -> "team";
      default -> null;
    };
    if (column == null) {
      return Future.failedFuture(new IllegalArgumentException("scope kind is key or team, not " + scopeKind));
    }
    return jdbc.read(c -> {
      // The WHERE on the name lets both engines use the (name, ts, cost_micros) index (V7) alone.
      try (PreparedStatement ps = c.prepareStatement("SELECT " + column + ", SUM(cost_micros) FROM ledger WHERE "
          + column + " IS NOT NULL AND ts >= ? AND " + NOT_SHADOW + " GROUP BY " + column)) {
        ps.setLong(1, from.toEpochMilli());
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Future<List<LedgerRow>> rowsBetween(Instant from, Instant to) {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger WHERE ts >= ?"
          + (to == null ? "" : " AND ts < ?"))) {
        ps.setLong(1, from.toEpochMilli());
        if (to != null) {
          ps.setLong(2, to.toEpochMilli());
        }
        List<LedgerRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
        out.sort(Comparator.comparing(LedgerRow::ts).thenComparing(LedgerRow::requestId)
            .thenComparingInt(LedgerRow::attemptNo));
        return out;
      }
    });
  }

  private static void bind(RowParams p, LedgerRow r) throws SQLException {
    p.text(r.id());
    p.text(r.requestId());
    p.int4(r.attemptNo());
    p.int8(r.ts().toEpochMilli());
    p.text(r.keyName());
    p.text(r.keyId());
    p.text(r.team());
    p.text(r.modelEntry());
    p.text(r.provider());
    p.text(r.targetModel());
    p.int4(r.status());
    p.text(r.errorClass());
    p.text(r.outcome().wire());
    p.int8(r.inputTokens());
    p.int8(r.outputTokens());
    p.int8(r.cachedReadTokens());
    p.int8(r.cacheWriteTokens());
    p.int8(r.reasoningTokens());
    p.int8(r.costMicros());
    p.bool(r.priceKnown());
    p.bool(r.estimated());
    p.int8(r.latencyMs());
    p.int8(r.ttftMs());
    p.bool(r.stream());
    p.bool(r.clientDisconnected());
    p.bool(r.hedge());
    p.bool(r.retry());
    p.bool(r.fallback());
    p.int8(Millis.of(r.startedAt()));
    p.text(r.kind().wire());
    p.int8(r.savedMicros());
    p.text(r.route() == null ? null : r.route().wire());
    p.int8(r.routeCostMicros());
    p.int8(r.routeBaselineMicros());
    p.int8(r.uncachedCostMicros());
  }

  private static LedgerRow row(ResultSet rs) throws SQLException {
    return new LedgerRow(rs.getString("request_id"), rs.getInt("attempt_no"), Instant.ofEpochMilli(rs.getLong("ts")),
        rs.getString("key_name"), rs.getString("key_id"), rs.getString("team"), rs.getString("model_entry"),
        rs.getString("provider"), rs.getString("target_model"), rs.getInt("status"), rs.getString("error_class"),
        Outcome.parse(rs.getString("outcome")), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
        rs.getLong("cached_read_tokens"), rs.getLong("cache_write_tokens"), rs.getLong("reasoning_tokens"),
        rs.getLong("cost_micros"), rs.getBoolean("price_known"), rs.getBoolean("estimated"),
        rs.getLong("latency_ms"), Sql.getLong(rs, "ttft_ms"), rs.getBoolean("stream"),
        rs.getBoolean("client_disconnected"), rs.getBoolean("hedge"), rs.getBoolean("retry"),
        rs.getBoolean("fallback"), Millis.instant(Sql.getLong(rs, "started_at")),
        RowKind.parse(rs.getString("kind")), rs.getLong("saved_micros"),
        rs.getString("route") == null ? null : AnswerRoute.parse(rs.getString("route")),
        Sql.getLong(rs, "route_cost_micros"), Sql.getLong(rs, "route_baseline_micros"),
        Sql.getLong(rs, "uncached_cost_micros"));
  }
}
