package dev.sluice.store;

import dev.sluice.store.stats.StatsCell;
import dev.sluice.store.stats.StatsDimension;
import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsQuery;
import dev.sluice.store.stats.StatsRow;
import dev.sluice.store.stats.StatsStore;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Stats rows on either engine. A dimension that is absent (no team) or outside the row's grain is
 * stored as the empty string, so the primary key has no NULL in it and {@code ON CONFLICT} matches.
 *
 * <p>A query reads one grain's rows of its time range (a range of the primary key) twice, in one
 * snapshot: counts, tokens and cost summed per bucket and group by the engine, then, for a timing
 * metric, the histogram column alone, streamed in minute order and merged in Java one bucket at a
 * time (histograms cannot be merged in SQL). Reading few columns matters: with SQLite, fetching a
 * column costs more than decoding a histogram does.
 */
final class JdbcStatsStore implements StatsStore {
  private static final String KEY_COLUMNS = "grain, minute, replica, model, provider, target, key_name, team";
  private static final String UPSERT = "INSERT INTO stats (" + KEY_COLUMNS + ", requests, errors, input_tokens, "
      + "output_tokens, cost_micros, latency, ttft, overhead) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (" + KEY_COLUMNS + ") DO UPDATE SET requests = excluded.requests, errors = excluded.errors, "
      + "input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, "
      + "cost_micros = excluded.cost_micros, latency = excluded.latency, ttft = excluded.ttft, "
      + "overhead = excluded.overhead";
  private static final String UPSERT_ERRORS = "INSERT INTO stats_errors (" + KEY_COLUMNS + ", error_class, errors) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (" + KEY_COLUMNS + ", error_class) "
      + "DO UPDATE SET errors = excluded.errors";
  /** Histograms keep two significant digits, as the aggregator's do. */
  private static final int DIGITS = 2;
  /** Rows fetched per round trip on PostgreSQL (SQLite streams by itself). */
  private static final int FETCH_SIZE = 2_000;

  private final Jdbc jdbc;

  JdbcStatsStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Future<Integer> deleteOldest(long beforeMinute, int span) {
    return jdbc.write(c -> deleteOldest(c, "stats", beforeMinute, span)
        + deleteOldest(c, "stats_errors", beforeMinute, span));
  }

  private static int deleteOldest(Connection c, String table, long beforeMinute, int span) throws SQLException {
    int deleted = 0;
    for (StatsGrain grain : StatsGrain.values()) {
      Long oldest = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(minute) FROM " + table + " WHERE grain = ?")) {
        ps.setString(1, grain.wire());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            long v = rs.getLong(1);
            oldest = rs.wasNull() ? null : v;
          }
        }
      }
      if (oldest == null || oldest >= beforeMinute) {
        continue;
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE grain = ? AND minute < ?")) {
        ps.setString(1, grain.wire());
        ps.setLong(2, Math.min(beforeMinute, oldest + span)); // a range of the primary key
        deleted += ps.executeUpdate();
      }
    }
    return deleted;
  }

  @Override
  public Future<Void> upsert(List<StatsRow> rows) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    List<StatsRow> batch = List.copyOf(rows);
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
        for (StatsRow r : batch) {
          bind(ps, r);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      if (batch.stream().anyMatch(r -> !r.errorClasses().isEmpty())) {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_ERRORS)) {
          for (StatsRow r : batch) {
            for (Map.Entry<String, Long> e : r.errorClasses().entrySet()) {
              int i = bindKey(ps, r);
              ps.setString(++i, e.getKey());
              ps.setLong(++i, e.getValue());
              ps.addBatch();
            }
          }
          ps.executeBatch();
        }
      }
      return null;
    });
  }

  private static int bindKey(PreparedStatement ps, StatsRow r) throws SQLException {
    int i = 0;
    ps.setString(++i, r.grain().wire());
    ps.setLong(++i, r.minute());
    ps.setString(++i, r.replica());
    ps.setString(++i, orEmpty(r.model()));
    ps.setString(++i, orEmpty(r.provider()));
    ps.setString(++i, orEmpty(r.target()));
    ps.setString(++i, orEmpty(r.keyName()));
    ps.setString(++i, orEmpty(r.team()));
    return i;
  }

  private static void bind(PreparedStatement ps, StatsRow r) throws SQLException {
    int i = bindKey(ps, r);
    ps.setLong(++i, r.requests());
    ps.setLong(++i, r.errors());
    ps.setLong(++i, r.inputTokens());
    ps.setLong(++i, r.outputTokens());
    ps.setLong(++i, r.costMicros());
    ps.setBytes(++i, r.latency());
    if (r.ttft() == null) {
      ps.setNull(++i, Types.BINARY);
    } else {
      ps.setBytes(++i, r.ttft());
    }
    ps.setBytes(++i, r.overhead());
  }

  @Override
  public Future<List<StatsCell>> query(StatsQuery q) {
    StatsGrain grain = q.grain();
    String group = groupColumns(q.groupBy());
    StringBuilder where = new StringBuilder(" FROM stats WHERE grain = ? AND minute >= ? AND minute < ?");
    List<String> params = new ArrayList<>();
    q.filters().forEach((d, v) -> {
      where.append(" AND ").append(column(d)).append(" = ?");
      params.add(v);
    });
    // Integer division on both engines (minute >= from, so no rounding towards zero surprises). A
    // grouped query of one bucket (a step as long as the window: "top keys by spend") groups by the
    // group alone: a day of the key grain sums ~25% faster on SQLite than with the bucket in the key.
    boolean oneBucket = q.buckets() == 1 && !group.isEmpty();
    String sums = "SELECT " + (oneBucket ? "0" : "(minute - ?) / ?") + " AS bucket, " + group + "SUM(requests), "
        + "SUM(errors), SUM(input_tokens), SUM(output_tokens), SUM(cost_micros)" + where + " GROUP BY "
        + (oneBucket ? "" : "bucket" + (group.isEmpty() ? "" : ", "))
        + (group.isEmpty() ? "" : group.substring(0, group.length() - 2));
    String histograms = q.timing() == null ? null
        : "SELECT minute, " + group + q.timing().column + where + " ORDER BY minute";
    String errorClasses = !q.errorClasses() ? null
        : "SELECT (minute - ?) / ? AS bucket, " + group + "error_class, SUM(errors)"
            + where.toString().replace(" FROM stats ", " FROM stats_errors ") + " GROUP BY bucket, " + group
            + "error_class";
    return jdbc.read(c -> inOneSnapshot(c, conn -> {
      Map<Long, Map<String, StatsCell>> cells = new TreeMap<>();
      try (PreparedStatement ps = conn.prepareStatement(sums)) {
        int i = 0;
        if (!oneBucket) {
          ps.setLong(++i, q.fromMinute());
          ps.setInt(++i, q.stepMinutes());
        }
        bind(ps, i, grain, q, params);
        try (ResultSet rs = ps.executeQuery()) {
          int first = firstAfterGroup(q.groupBy());
          while (rs.next()) {
            long bucket = rs.getLong(1);
            String g = group(q.groupBy(), rs);
            cells.computeIfAbsent(bucket, b -> new HashMap<>()).put(key(g), new StatsCell(
                q.fromMinute() + bucket * q.stepMinutes(), g, rs.getLong(first), rs.getLong(first + 1),
                rs.getLong(first + 2), rs.getLong(first + 3), rs.getLong(first + 4), null));
          }
        }
      }
      if (histograms != null) {
        try (PreparedStatement ps = conn.prepareStatement(histograms)) {
          ps.setFetchSize(FETCH_SIZE);
          bind(ps, 0, grain, q, params);
          try (ResultSet rs = ps.executeQuery()) {
            mergeHistograms(q, rs, cells);
          }
        }
      }
      if (errorClasses != null) {
        try (PreparedStatement ps = conn.prepareStatement(errorClasses)) {
          int i = 0;
          ps.setLong(++i, q.fromMinute());
          ps.setInt(++i, q.stepMinutes());
          bind(ps, i, grain, q, params);
          try (ResultSet rs = ps.executeQuery()) {
            addErrorClasses(q, rs, cells);
          }
        }
      }
      List<StatsCell> out = new ArrayList<>();
      Comparator<StatsCell> byGroup = Comparator.comparing(StatsCell::group, Comparator.nullsLast(Comparator.naturalOrder()));
      StatsCell.Percentiles none = histograms == null ? null : new StatsCell.Percentiles(0, 0, 0, 0, 0, 0);
      cells.values().forEach(bucket -> bucket.values().stream().sorted(byGroup)
          .map(x -> x.timing() != null || none == null ? x : x.withTiming(none))
          .forEach(out::add));
      return out;
    }));
  }

  private static int bind(PreparedStatement ps, int i, StatsGrain grain, StatsQuery q, List<String> params)
      throws SQLException {
    ps.setString(++i, grain.wire());
    ps.setLong(++i, q.fromMinute());
    ps.setLong(++i, q.toMinute());
    for (String p : params) {
      ps.setString(++i, p);
    }
    return i;
  }

  /**
   * Merges the histograms of the rows (in minute order) per bucket and group, and sets each
   * bucket's percentiles on its cells as soon as the next bucket starts: one histogram per group
   * is all the memory this takes, reset per bucket.
   */
  private static void mergeHistograms(StatsQuery q, ResultSet rs, Map<Long, Map<String, StatsCell>> cells)
      throws SQLException {
    Map<String, Histogram> merged = new HashMap<>();
    long bucket = Long.MIN_VALUE;
    int column = firstAfterGroup(q.groupBy());
    while (rs.next()) {
      long b = (rs.getLong(1) - q.fromMinute()) / q.stepMinutes();
      if (b != bucket) {
        percentiles(cells.get(bucket), merged);
        bucket = b;
      }
      HistogramMerge.add(merged.computeIfAbsent(key(group(q.groupBy(), rs)), k -> new Histogram(DIGITS)),
          rs.getBytes(column));
    }
    percentiles(cells.get(bucket), merged);
  }

  private static void percentiles(Map<String, StatsCell> bucket, Map<String, Histogram> merged) {
    if (bucket == null) {
      merged.values().forEach(Histogram::reset);
      return;
    }
    bucket.replaceAll((k, cell) -> {
      Histogram h = merged.get(k);
      long n = h == null ? 0 : h.getTotalCount();
      StatsCell.Percentiles p = n == 0 ? new StatsCell.Percentiles(0, 0, 0, 0, 0, 0)
          : new StatsCell.Percentiles(n, h.getValueAtPercentile(50), h.getValueAtPercentile(90),
              h.getValueAtPercentile(95), h.getValueAtPercentile(99), h.getMaxValue());
      return cell.withTiming(p);
    });
    merged.values().forEach(Histogram::reset);
  }

  /**
   * Puts each bucket's and group's errors by class on its cell (the classes sorted by name). Every
   * error row has its stats row (both are written in one transaction), so every class finds its cell.
   */
  private static void addErrorClasses(StatsQuery q, ResultSet rs, Map<Long, Map<String, StatsCell>> cells)
      throws SQLException {
    Map<Long, Map<String, Map<String, Long>>> classes = new HashMap<>();
    int column = firstAfterGroup(q.groupBy());
    while (rs.next()) {
      classes.computeIfAbsent(rs.getLong(1), b -> new HashMap<>())
          .computeIfAbsent(key(group(q.groupBy(), rs)), g -> new TreeMap<>())
          .merge(rs.getString(column), rs.getLong(column + 1), Long::sum);
    }
    classes.forEach((bucket, groups) -> {
      Map<String, StatsCell> b = cells.get(bucket);
      groups.forEach((g, counts) -> {
        StatsCell cell = b == null ? null : b.get(g);
        if (cell != null) {
          b.put(g, new StatsCell(cell.bucketMinute(), cell.group(), cell.requests(), cell.errors(),
              cell.inputTokens(), cell.outputTokens(), cell.costMicros(), cell.timing(),
              java.util.Collections.unmodifiableMap(counts)));
        }
      });
    });
  }

  /** The map key of a group: null (no group, or no value) apart from every value. */
  private static String key(String group) {
    return group == null ? "" : "=" + group;
  }

  /** The first column after the bucket (or minute) and the group's columns. */
  private static int firstAfterGroup(StatsDimension d) {
    return 2 + (d == null ? 0 : d == StatsDimension.TARGET ? 2 : 1);
  }

  private static String groupColumns(StatsDimension d) {
    if (d == null) {
      return "";
    }
    return d == StatsDimension.TARGET ? "provider, target, " : column(d) + ", ";
  }

  private static String group(StatsDimension d, ResultSet rs) throws SQLException {
    if (d == null) {
      return null;
    }
    if (d == StatsDimension.TARGET) {
      String provider = rs.getString(2);
      String target = rs.getString(3);
      return provider.isEmpty() && target.isEmpty() ? null : provider + "/" + target;
    }
    String v = rs.getString(2);
    return v.isEmpty() ? null : v;
  }

  private static String column(StatsDimension d) {
    return switch (d) {
      case MODEL -> "model";
      case PROVIDER -> "provider";
      case TARGET -> "target";
      case KEY -> "key_name";
      case TEAM -> "team";
    };
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /**
   * Runs both statements of a query in one read-only transaction: one snapshot (SQLite's WAL read
   * transaction; PostgreSQL at REPEATABLE READ), so the sums and histograms agree even when a flush
   * lands in between; and PostgreSQL's driver streams a result set only inside a transaction
   * (otherwise it reads every row into memory first: a day of the finest grain is ~10^6 rows).
   */
  private <T> T inOneSnapshot(Connection c, ConnectionPool.SqlWork<T> work) throws SQLException {
    boolean pg = jdbc.dialect() == Dialect.POSTGRESQL;
    int isolation = c.getTransactionIsolation();
    if (pg) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }
    c.setAutoCommit(false);
    try {
      return work.apply(c);
    } finally {
      try {
        c.rollback();
      } finally {
        c.setAutoCommit(true);
        if (pg) {
          c.setTransactionIsolation(isolation);
        }
      }
    }
  }
}
