package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link ShadowPairStore} over JDBC, on SQLite or PostgreSQL. */
final class JdbcShadowPairStore implements ShadowPairStore {
  private static final String SIDE = "target, latency_ms, ttft_ms, input_tokens, output_tokens, cost_micros, error, "
      + "finish_reason, output_chars";
  private static final String COLUMNS = "id, request_id, ts, model_entry, candidate, stream, "
      + prefixed("p_") + ", " + prefixed("c_") + ", exact_match, json_valid, schema_match, tools_agree, similarity";
  private static final String INSERT = "INSERT INTO shadow_pairs (" + COLUMNS + ") VALUES ("
      + "?, ".repeat(28) + "?) ON CONFLICT (id) DO NOTHING";

  private final Jdbc jdbc;

  JdbcShadowPairStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  private static String prefixed(String p) {
    return p + SIDE.replace(", ", ", " + p);
  }

  @Override
  public io.vertx.core.Future<Integer> insert(List<ShadowPairRow> rows) {
    if (rows.isEmpty()) {
      return io.vertx.core.Future.succeededFuture(0);
    }
    List<ShadowPairRow> batch = List.copyOf(rows);
    return jdbc.write(c -> insert(c, batch));
  }

  private static int insert(Connection c, List<ShadowPairRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (ShadowPairRow r : rows) {
        int i = 0;
        ps.setString(++i, r.id());
        ps.setString(++i, r.requestId());
        ps.setLong(++i, r.ts().toEpochMilli());
        ps.setString(++i, r.modelEntry());
        ps.setString(++i, r.candidate());
        ps.setBoolean(++i, r.stream());
        i = bindSide(ps, i, r.primary());
        i = bindSide(ps, i, r.shadow());
        for (Boolean b : new Boolean[] {r.exact(), r.jsonValid(), r.schemaMatch(), r.toolsAgree()}) {
          if (b == null) {
            ps.setNull(++i, Types.BOOLEAN);
          } else {
            ps.setBoolean(++i, b);
          }
        }
        if (r.similarity() == null) {
          ps.setNull(++i, Types.DOUBLE);
        } else {
          ps.setDouble(++i, r.similarity());
        }
        ps.addBatch();
      }
      return JdbcLedgerStore.inserted(ps.executeBatch());
    }
  }

  private static int bindSide(PreparedStatement ps, int i, ShadowPairRow.Side s) throws SQLException {
    ps.setString(++i, s.target());
    ps.setLong(++i, s.latencyMs());
    if (s.ttftMs() == null) {
      ps.setNull(++i, Types.BIGINT);
    } else {
      ps.setLong(++i, s.ttftMs());
    }
    ps.setLong(++i, s.inputTokens());
    ps.setLong(++i, s.outputTokens());
    ps.setLong(++i, s.costMicros());
    ps.setString(++i, s.error());
    ps.setString(++i, s.finishReason());
    ps.setLong(++i, s.outputChars());
    return i;
  }

  @Override
  public io.vertx.core.Future<List<ShadowPairRow>> between(String modelEntry, Instant from, Instant to) {
    String sql = "SELECT " + COLUMNS + " FROM shadow_pairs WHERE ts >= ? AND ts < ?"
        + (modelEntry == null ? "" : " AND model_entry = ?");
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, from.toEpochMilli());
        ps.setLong(2, to.toEpochMilli());
        if (modelEntry != null) {
          ps.setString(3, modelEntry);
        }
        List<ShadowPairRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
        out.sort(Comparator.comparing(ShadowPairRow::ts).thenComparing(ShadowPairRow::id));
        return out;
      }
    });
  }

  @Override
  public io.vertx.core.Future<Integer> deleteBefore(Instant cutoff, int max) {
    return jdbc.write(c -> Purge.before(c, "shadow_pairs", "id", cutoff, max));
  }

  private static ShadowPairRow row(ResultSet rs) throws SQLException {
    return new ShadowPairRow(rs.getString("request_id"), Instant.ofEpochMilli(rs.getLong("ts")),
        rs.getString("model_entry"), rs.getString("candidate"), rs.getBoolean("stream"), side(rs, "p_"),
        side(rs, "c_"), bool(rs, "exact_match"), bool(rs, "json_valid"), bool(rs, "schema_match"),
        bool(rs, "tools_agree"), dbl(rs, "similarity"));
  }

  private static ShadowPairRow.Side side(ResultSet rs, String p) throws SQLException {
    long ttft = rs.getLong(p + "ttft_ms");
    Long ttftMs = rs.wasNull() ? null : ttft;
    return new ShadowPairRow.Side(rs.getString(p + "target"), rs.getLong(p + "latency_ms"), ttftMs,
        rs.getLong(p + "input_tokens"), rs.getLong(p + "output_tokens"), rs.getLong(p + "cost_micros"),
        rs.getString(p + "error"), rs.getString(p + "finish_reason"), rs.getLong(p + "output_chars"));
  }

  private static Boolean bool(ResultSet rs, String column) throws SQLException {
    boolean v = rs.getBoolean(column);
    return rs.wasNull() ? null : v;
  }

  private static Double dbl(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
