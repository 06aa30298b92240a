package dev.sluice.store;

import dev.sluice.store.requestlog.RequestDetail;
import dev.sluice.store.requestlog.RequestLogStore;
import dev.sluice.store.requestlog.RequestPage;
import dev.sluice.store.requestlog.RequestQuery;
import dev.sluice.store.requestlog.RequestRow;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request log over JDBC. The list is one index range scan: each filter that has an index
 * ({@code key_name}, {@code team}, {@code model}, {@code error_class}) leads it to the rows of that
 * value, which the index keeps in {@code (ts, id)} order; the cursor is a row-value bound on that
 * order, so a page costs the same however deep it is.
 */
final class JdbcRequestLogStore implements RequestLogStore {
  private static final String COLUMNS = "id, ts, endpoint, key_name, key_id, team, model, provider, target_model, "
      + "status, error_class, stream, client_disconnected, latency_us, ttft_us, queue_wait_us, overhead_us, "
      + "input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, attempts";
  /** No conflict target: unique on {@code id} (SQLite) or {@code (id, ts)} (PostgreSQL's partitions, V12). */
  private static final String INSERT = "INSERT INTO request_log (" + COLUMNS + ") VALUES ("
      + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String INSERT_BODIES = "INSERT INTO request_bodies (request_id, ts, request_body, "
      + "response_body, request_truncated, response_truncated) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING";

  private final Jdbc jdbc;

  JdbcRequestLogStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts within the caller's transaction; returns the request rows actually inserted. SQLite:
   * {@code chunk} rows per statement execution ({@link ChunkedBatch}); PostgreSQL: the whole batch in
   * one statement ({@link UnnestInsert}).
   */
  static int insert(Connection c, Dialect dialect, List<RequestRow> rows, int chunk) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    int inserted;
    if (dialect == Dialect.POSTGRESQL) {
      inserted = UnnestInsert.insert(c, "request_log", COLUMNS, rows, JdbcRequestLogStore::bind);
    } else {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        inserted = JdbcLedgerStore.inserted(ChunkedBatch.execute(ps, rows, chunk, JdbcRequestLogStore::bind));
      }
    }
    boolean anyBodies = rows.stream().anyMatch(r -> r.bodies() != null);
    if (anyBodies) {
      try (PreparedStatement ps = c.prepareStatement(INSERT_BODIES)) {
        for (RequestRow r : rows) {
          if (r.bodies() != null) {
            int i = 0;
            ps.setString(++i, r.id());
            ps.setLong(++i, r.ts().toEpochMilli());
            Sql.setString(ps, ++i, r.bodies().request());
            Sql.setString(ps, ++i, r.bodies().response());
            ps.setBoolean(++i, r.bodies().requestTruncated());
            ps.setBoolean(++i, r.bodies().responseTruncated());
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
    }
    return inserted;
  }

  @Override
  public Future<RequestPage> list(RequestQuery q) {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM request_log WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    where(sql, params, q);
    return jdbc.read(c -> {
      List<RequestRow> rows = NewestFirstPage.fetch(c, sql, params, q.limit(), rs -> row(rs, null));
      if (rows.size() <= q.limit()) {
        return new RequestPage(rows, null);
      }
      List<RequestRow> page = rows.subList(0, q.limit());
      return new RequestPage(page, RequestQuery.Position.of(page.get(page.size() - 1)));
    });
  }

  /** Appends {@code q}'s filters, window, order and limit to a {@code WHERE ...} already under way. */
  static void where(StringBuilder sql, List<Object> params, RequestQuery q) {
    equal(sql, params, "key_name", q.keyName());
    equal(sql, params, "team", q.team());
    equal(sql, params, "model", q.model());
    equal(sql, params, "error_class", q.errorClass());
    if (q.statusFrom() != null) {
      sql.append(" AND status BETWEEN ? AND ?");
      params.add(q.statusFrom());
      params.add(q.statusTo());
    }
    if (q.minLatencyMicros() != null) {
      sql.append(" AND latency_us >= ?");
      params.add(q.minLatencyMicros());
    }
    NewestFirstPage.window(sql, params, q.from(), q.to(), q.after() == null ? 0 : q.after().tsMillis(),
        q.after() == null ? null : q.after().id(), q.limit());
  }

  @Override
  public Future<Optional<RequestDetail>> find(String id, String keyName) {
    return jdbc.read(c -> {
      RequestRow found = null;
      String sql = "SELECT " + COLUMNS + " FROM request_log WHERE id = ?" + (keyName == null ? "" : " AND key_name = ?");
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, id);
        if (keyName != null) {
          ps.setString(2, keyName);
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            found = row(rs, null);
          }
        }
      }
      if (found == null) {
        return Optional.<RequestDetail>empty();
      }
      RequestRow.Bodies bodies = bodies(c, id);
      return Optional.of(new RequestDetail(bodies == null ? found : found.toBuilder().bodies(bodies).build(),
          JdbcLedgerStore.attempts(c, jdbc.dialect(), id, keyName)));
    });
  }

  @Override
  public Future<Integer> deleteBefore(Instant cutoff, int max) {
    if (jdbc.dialect() == Dialect.POSTGRESQL) {
      // Whole months first (dropped partitions), then the rows of the month at the edge.
      return jdbc.write(c -> PgPartitions.dropBefore(c, "request_log", cutoff))
          .compose(dropped -> jdbc.write(c -> dropped + Purge.beforeInPartitions(c, "request_log", cutoff, max)));
    }
    return jdbc.write(c -> Purge.before(c, "request_log", "id", cutoff, max));
  }

  @Override
  public Future<Integer> deleteBodiesBefore(Instant cutoff, int max) {
    return jdbc.write(c -> Purge.before(c, "request_bodies", "request_id", cutoff, max));
  }

  private static void equal(StringBuilder sql, List<Object> params, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      params.add(value);
    }
  }

  private static RequestRow.Bodies bodies(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT request_body, response_body, request_truncated, "
        + "response_truncated FROM request_bodies WHERE request_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new RequestRow.Bodies(rs.getString("request_body"), rs.getString("response_body"),
            rs.getBoolean("request_truncated"), rs.getBoolean("response_truncated"));
      }
    }
  }

  private static void bind(RowParams p, RequestRow r) throws SQLException {
    p.text(r.id());
    p.int8(r.ts().toEpochMilli());
    p.text(r.endpoint());
    p.text(r.keyName());
    p.text(r.keyId());
    p.text(r.team());
    p.text(r.model());
    p.text(r.provider());
    p.text(r.targetModel());
    p.int4(r.status());
    p.text(r.errorClass());
    p.bool(r.stream());
    p.bool(r.clientDisconnected());
    p.int8(r.latencyMicros());
    p.int8(r.ttftMicros());
    p.int8(r.queueWaitMicros());
    p.int8(r.overheadMicros());
    p.int8(r.inputTokens());
    p.int8(r.outputTokens());
    p.int8(r.cachedReadTokens());
    p.int8(r.cacheWriteTokens());
    p.int8(r.reasoningTokens());
    p.int8(r.costMicros());
    p.int4(r.attempts());
  }

  private static RequestRow row(ResultSet rs, RequestRow.Bodies bodies) throws SQLException {
    return new RequestRow(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("ts")), rs.getString("endpoint"),
        rs.getString("key_name"), rs.getString("key_id"), rs.getString("team"), rs.getString("model"),
        rs.getString("provider"), rs.getString("target_model"), rs.getInt("status"), rs.getString("error_class"),
        rs.getBoolean("stream"), rs.getBoolean("client_disconnected"), rs.getLong("latency_us"),
        Sql.getLong(rs, "ttft_us"), rs.getLong("queue_wait_us"), rs.getLong("overhead_us"),
        rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_read_tokens"),
        rs.getLong("cache_write_tokens"), rs.getLong("reasoning_tokens"), rs.getLong("cost_micros"),
        rs.getInt("attempts"), bodies);
  }
}
