package dev.sluice.store.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.store.NewestFirstPage;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log over JDBC, the same SQL on both engines. The list is one index range scan: a
 * filter with an index ({@code actor}, {@code action}, {@code target}) leads it to that value's
 * rows, kept in {@code (ts, id)} order; the cursor is a row-value bound on that order, so a page
 * costs the same however deep it is.
 */
final class JdbcAuditLog implements AuditLog {
  private static final String COLUMNS = "id, ts, actor, client_ip, method, route, path, action, target, status, "
      + "error, before_json, after_json";
  private static final String INSERT = "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
      + "?, ?, ?, ?)";
  private static final String COMPLETE = "UPDATE audit_log SET target = ?, status = ?, error = ?, before_json = ?, "
      + "after_json = ? WHERE id = ? AND status IS NULL";
  private static final String PURGE = "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE ts < ? "
      + "LIMIT ?)";

  private final JdbcCalls jdbc;

  JdbcAuditLog(JdbcCalls jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<Void> insert(AuditEntry e) {
    try {
      requireObject("beforeJson", e.beforeJson());
      requireObject("afterJson", e.afterJson());
    } catch (IllegalArgumentException bad) {
      return Future.failedFuture(bad);
    }
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        int i = 0;
        ps.setString(++i, e.id());
        ps.setLong(++i, e.ts().toEpochMilli());
        ps.setString(++i, e.actor());
        setString(ps, ++i, e.clientIp());
        ps.setString(++i, e.method());
        ps.setString(++i, e.route());
        ps.setString(++i, e.path());
        ps.setString(++i, e.action());
        setString(ps, ++i, e.target());
        setInt(ps, ++i, e.status());
        setString(ps, ++i, e.error());
        setString(ps, ++i, e.beforeJson());
        setString(ps, ++i, e.afterJson());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Boolean> complete(AuditEntry done) {
    if (!done.isComplete()) {
      return Future.failedFuture(new IllegalArgumentException("complete() needs the entry's status"));
    }
    try {
      requireObject("beforeJson", done.beforeJson());
      requireObject("afterJson", done.afterJson());
    } catch (IllegalArgumentException bad) {
      return Future.failedFuture(bad);
    }
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
        int i = 0;
        setString(ps, ++i, done.target());
        ps.setInt(++i, done.status());
        setString(ps, ++i, done.error());
        setString(ps, ++i, done.beforeJson());
        setString(ps, ++i, done.afterJson());
        ps.setString(++i, done.id());
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Future<AuditPage> list(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM audit_log WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    equal(sql, params, "actor", q.actor());
    equal(sql, params, "action", q.action());
    equal(sql, params, "target", q.target());
    NewestFirstPage.window(sql, params, q.from(), q.to(), q.after() == null ? 0 : q.after().tsMillis(),
        q.after() == null ? null : q.after().id(), q.limit());
    return jdbc.read(c -> {
      List<AuditEntry> rows = NewestFirstPage.fetch(c, sql, params, q.limit(), rs -> entry(rs));
      if (rows.size() <= q.limit()) {
        return new AuditPage(rows, null);
      }
      List<AuditEntry> page = rows.subList(0, q.limit());
      return new AuditPage(page, AuditPosition.of(page.get(page.size() - 1)));
    });
  }

  @Override
  public Future<Integer> deleteBefore(Instant cutoff, int max) {
    if (max < 1) {
      return Future.failedFuture(new IllegalArgumentException("max must be positive"));
    }
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(PURGE)) {
        ps.setLong(1, cutoff.toEpochMilli());
        ps.setInt(2, max);
        return ps.executeUpdate();
      }
    });
  }

  private static void equal(StringBuilder sql, List<Object> params, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      params.add(value);
    }
  }

  private static AuditEntry entry(ResultSet rs) throws SQLException {
    int status = rs.getInt("status");
    Integer statusOrNull = rs.wasNull() ? null : status;
    return new AuditEntry(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("ts")), rs.getString("actor"),
        rs.getString("client_ip"), rs.getString("method"), rs.getString("route"), rs.getString("path"),
        rs.getString("action"), rs.getString("target"), statusOrNull, rs.getString("error"),
        rs.getString("before_json"), rs.getString("after_json"));
  }

  private static void requireObject(String field, String json) {
    if (json == null) {
      return;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(field + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(field + " must be a JSON object");
    }
  }

  private static void setString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }
}
