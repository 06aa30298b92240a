package dev.sluice.store;

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
import org.HdrHistogram.Histogram;

/**
 * Stats rows on either engine. A dimension that is absent (no team) or outside the row's grain is
 * stored as the empty string, so the primary key has no NULL in it and {@code ON CONFLICT} matches.
 * Queries stream the rows of one grain in minute order (the primary key's order) and add them up
 * in Java, one bucket at a time: histograms cannot be merged in SQL, and one merge histogram per
 * group, reset per bucket, is all the memory a query takes.
 */
final class JdbcStatsStore implements StatsStore {
  private static final String KEY_COLUMNS = "grain, minute, replica, model, provider, target, key_name, team";
  private static final String UPSERT = "INSERT INTO stats (" + KEY_COLUMNS + ", requests, errors, input_tokens, "
      + "output_tokens, cost_micros, latency, ttft, overhead) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (" + KEY_COLUMNS + ") DO UPDATE SET requests = excluded.requests, errors = excluded.errors, "
      + "input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, "
      + "cost_micros = excluded.cost_micros, latency = excluded.latency, ttft = excluded.ttft, "
      + "overhead = excluded.overhead";
  /** Histograms keep two significant digits, as the aggregator's do. */
  private static final int DIGITS = 2;
  /** Rows fetched per round trip on PostgreSQL (SQLite streams by itself). */
  private static final int FETCH_SIZE = 2_000;

  private final Jdbc jdbc;

  JdbcStatsStore(Jdbc jdbc) {
    this.jdbc = jdbc;
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
      return null;
    });
  }

  private static void bind(PreparedStatement ps, StatsRow r) throws SQLException {
    int i = 0;
    ps.setString(++i, r.grain().wire());
    ps.setLong(++i, r.minute());
    ps.setString(++i, r.replica());
    ps.setString(++i, orEmpty(r.model()));
    ps.setString(++i, orEmpty(r.provider()));
    ps.setString(++i, orEmpty(r.target()));
    ps.setString(++i, orEmpty(r.keyName()));
    ps.setString(++i, orEmpty(r.team()));
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
    StringBuilder sql = new StringBuilder("SELECT minute, ").append(groupColumns(q.groupBy()))
        .append("requests, errors, input_tokens, output_tokens, cost_micros");
    if (q.timing() != null) {
      sql.append(", ").append(q.timing().column);
    }
    sql.append(" FROM stats WHERE grain = ? AND minute >= ? AND minute < ?");
    List<String> params = new ArrayList<>();
    q.filters().forEach((d, v) -> {
      sql.append(" AND ").append(column(d)).append(" = ?");
      params.add(v);
    });
    sql.append(" ORDER BY minute");
    return jdbc.read(c -> withStreaming(c, conn -> {
      try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
        ps.setFetchSize(FETCH_SIZE);
        int i = 0;
        ps.setString(++i, grain.wire());
        ps.setLong(++i, q.fromMinute());
        ps.setLong(++i, q.toMinute());
        for (String p : params) {
          ps.setString(++i, p);
        }
        try (ResultSet rs = ps.executeQuery()) {
          return merge(q, rs);
        }
      }
    }));
  }

  /** Adds up rows (in minute order) per bucket and group, emitting each bucket when the next starts. */
  private static List<StatsCell> merge(StatsQuery q, ResultSet rs) throws SQLException {
    List<StatsCell> out = new ArrayList<>();
    Map<String, Sum> groups = new HashMap<>();
    List<Sum> touched = new ArrayList<>();
    long bucket = Long.MIN_VALUE;
    int firstSum = 2 + (q.groupBy() == null ? 0 : q.groupBy() == StatsDimension.TARGET ? 2 : 1);
    boolean timing = q.timing() != null;
    while (rs.next()) {
      long b = (rs.getLong(1) - q.fromMinute()) / q.stepMinutes();
      if (b != bucket) {
        emit(q, bucket, touched, out);
        bucket = b;
      }
      String group = group(q.groupBy(), rs);
      Sum s = groups.computeIfAbsent(group == null ? "" : "=" + group, k -> new Sum(group, timing));
      if (s.rows == 0) {
        touched.add(s);
      }
      s.add(rs, firstSum, timing);
    }
    emit(q, bucket, touched, out);
    return out;
  }

  private static void emit(StatsQuery q, long bucket, List<Sum> touched, List<StatsCell> out) {
    touched.sort(Comparator.comparing(s -> s.group, Comparator.nullsLast(Comparator.naturalOrder())));
    for (Sum s : touched) {
      out.add(s.cell(q.fromMinute() + bucket * q.stepMinutes()));
      s.reset();
    }
    touched.clear();
  }

  /** One group's running totals within the current bucket. */
  private static final class Sum {
    final String group;
    final Histogram histogram;
    long rows;
    long requests;
    long errors;
    long input;
    long output;
    long cost;

    Sum(String group, boolean timing) {
      this.group = group;
      this.histogram = timing ? new Histogram(DIGITS) : null;
    }

    void add(ResultSet rs, int firstSum, boolean timing) throws SQLException {
      rows++;
      requests += rs.getLong(firstSum);
      errors += rs.getLong(firstSum + 1);
      input += rs.getLong(firstSum + 2);
      output += rs.getLong(firstSum + 3);
      cost += rs.getLong(firstSum + 4);
      if (timing) {
        HistogramMerge.add(histogram, rs.getBytes(firstSum + 5));
      }
    }

    StatsCell cell(long bucketMinute) {
      StatsCell.Percentiles p = null;
      if (histogram != null) {
        long n = histogram.getTotalCount();
        p = n == 0 ? new StatsCell.Percentiles(0, 0, 0, 0, 0, 0)
            : new StatsCell.Percentiles(n, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(95), histogram.getValueAtPercentile(99), histogram.getMaxValue());
      }
      return new StatsCell(bucketMinute, group, requests, errors, input, output, cost, p);
    }

    void reset() {
      rows = requests = errors = input = output = cost = 0;
      if (histogram != null) {
        histogram.reset();
      }
    }
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
   * PostgreSQL's driver streams a result set only inside a transaction (otherwise it reads every
   * row into memory first); a day of the finest grain can be hundreds of thousands of rows.
   */
  private <T> T withStreaming(Connection c, ConnectionPool.SqlWork<T> work) throws SQLException {
    if (jdbc.dialect() != Dialect.POSTGRESQL) {
      return work.apply(c);
    }
    c.setAutoCommit(false);
    try {
      return work.apply(c);
    } finally {
      try {
        c.rollback();
      } finally {
        c.setAutoCommit(true);
      }
    }
  }
}
