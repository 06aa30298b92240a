package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollups of the ledger, hourly ({@code ledger_hourly}, V9) and daily ({@code ledger_daily},
 * V12): written in the ledger insert's transaction by the rows that insert actually added, read by
 * {@link LedgerStore#totals} and {@link LedgerStore#spend} through {@link #spans}. Each ledger row
 * adds the same amounts to its hour's and its day's group whether it is summed here at insert time
 * ({@link #delta}) or read back from the ledger for a window's partial edge hours ({@link #SUMS}):
 * the two lists say the same thing, in the same order as {@link #VALUES}.
 */
final class JdbcLedgerRollup {
  static final long HOUR = 3_600_000L;
  static final long DAY = 86_400_000L;
  private static final String GROUP_COLUMNS = "key_name, team, model_entry, provider, target_model, kind";
  static final List<String> VALUES = List.of("attempts", "requests", "input_tokens", "output_tokens",
      "cached_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost_micros", "answer_cost_micros",
      "unpriced_attempts", "saved_micros", "answered", "rerouted", "rerouted_fallbacks", "rerouted_unpriced",
      "route_cost_micros", "route_baseline_micros", "cache_attempts", "cache_unpriced", "cache_cost_micros",
      "uncached_cost_micros");
  /** What one ledger row adds to each of {@link #VALUES}, in SQL over the ledger's columns (and V9's backfill). */
  static final List<String> SUMS = List.of("1", "CASE WHEN attempt_no <= 1 THEN 1 ELSE 0 END", "input_tokens",
      "output_tokens", "cached_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost_micros",
      "CASE WHEN outcome = 'ok' THEN cost_micros ELSE 0 END", "CASE WHEN price_known THEN 0 ELSE 1 END",
      "saved_micros", "CASE WHEN route IS NULL THEN 0 ELSE 1 END", "CASE WHEN route = 'rerouted' THEN 1 ELSE 0 END",
      "CASE WHEN route = 'rerouted' AND fallback THEN 1 ELSE 0 END",
      "CASE WHEN route = 'rerouted' AND route_baseline_micros IS NULL THEN 1 ELSE 0 END",
      "COALESCE(route_cost_micros, 0)", "COALESCE(route_baseline_micros, 0)",
      "CASE WHEN uncached_cost_micros IS NULL THEN 0 ELSE 1 END",
      "CASE WHEN (cached_read_tokens > 0 OR cache_write_tokens > 0) AND NOT price_known THEN 1 ELSE 0 END",
      "CASE WHEN uncached_cost_micros IS NULL THEN 0 ELSE cost_micros END", "COALESCE(uncached_cost_micros, 0)");

  /** A rollup: its table, its time column (the start of its bucket, epoch ms) and its bucket's length. */
  enum Grain {
    HOUR("ledger_hourly", "hour", JdbcLedgerRollup.HOUR),
    DAY("ledger_daily", "day", JdbcLedgerRollup.DAY);

    final String table;
    final String time;
    final long millis;
    /** {@code INSERT INTO table (bucket, group columns, values)}: the head of both upserts. */
    final String insertInto;
    /** {@code ON CONFLICT (bucket, group columns) DO UPDATE SET} each value to the sum of both. */
    final String onConflictAdd;
    /** One bucket's sums per execution (SQLite). */
    final String upsert;

    Grain(String table, String time, long millis) {
      this.table = table;
      this.time = time;
      this.millis = millis;
      String keys = time + ", " + GROUP_COLUMNS;
      StringBuilder head = new StringBuilder("INSERT INTO ").append(table).append(" (").append(keys);
      VALUES.forEach(v -> head.append(", ").append(v));
      this.insertInto = head.append(')').toString();
      StringBuilder conflict = new StringBuilder(" ON CONFLICT (").append(keys).append(") DO UPDATE SET ");
      for (int i = 0; i < VALUES.size(); i++) {
        String v = VALUES.get(i);
        conflict.append(i == 0 ? "" : ", ").append(v).append(" = ").append(table).append('.').append(v)
            .append(" + excluded.").append(v);
      }
      this.onConflictAdd = conflict.toString();
      this.upsert = insertInto + " VALUES (?, ?, ?, ?, ?, ?, ?" + ", ?".repeat(VALUES.size()) + ")" + onConflictAdd;
    }
  }

  /**
   * One part of a window read from one source: a rollup's whole buckets ({@code grain} not null) or
   * the ledger's rows ({@code grain} null), {@code [from, to)}, {@code to} null for no end.
   */
  record Span(Grain grain, long from, Long to) {
    /** The time column of the source. */
    String time() {
      return grain == null ? "ts" : grain.time;
    }

    String table() {
      return grain == null ? "ledger" : grain.table;
    }

    /** What to sum per {@link #VALUES}: the rollup's columns, or each row's amounts. */
    List<String> values() {
      return grain == null ? SUMS : VALUES;
    }
  }

  private JdbcLedgerRollup() {}

  /**
   * Where to read the window {@code [from, to)} ({@code to} null: no end): its whole UTC days from
   * the daily rollup, the whole hours of its partial edge days from the hourly rollup, and the rows
   * of its partial edge hours from the ledger (through its ts key: at most two hours of rows).
   */
  static List<Span> spans(long from, Long to) {
    List<Span> out = new ArrayList<>(5);
    long firstDay = ceil(from, DAY);
    Long endDay = to == null ? null : Math.floorDiv(to, DAY) * DAY;
    if (endDay != null && firstDay >= endDay) {
      hoursAndRows(from, to, out);
    } else {
      hoursAndRows(from, firstDay, out);
      out.add(new Span(Grain.DAY, firstDay, endDay));
      if (endDay != null) {
        hoursAndRows(endDay, to, out);
      }
    }
    return out;
  }

  private static void hoursAndRows(long from, Long to, List<Span> out) {
    if (to != null && from >= to) {
      return;
    }
    long firstHour = ceil(from, HOUR);
    Long endHour = to == null ? null : Math.floorDiv(to, HOUR) * HOUR;
    if (endHour != null && firstHour >= endHour) {
      out.add(new Span(null, from, to)); // no whole hour inside: the rows themselves
      return;
    }
    if (from < firstHour) {
      out.add(new Span(null, from, firstHour));
    }
    out.add(new Span(Grain.HOUR, firstHour, endHour));
    if (endHour != null && endHour < to) {
      out.add(new Span(null, endHour, to));
    }
  }

  private static long ceil(long t, long unit) {
    return Math.floorDiv(t + unit - 1, unit) * unit;
  }

  /** One rollup row's key; ordered, so concurrent writers (PostgreSQL replicas) lock rows in one order. */
  private record Key(long hour, String keyName, String team, String modelEntry, String provider, String targetModel,
      String kind) implements Comparable<Key> {
    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::hour).thenComparing(Key::keyName)
        .thenComparing(Key::team).thenComparing(Key::modelEntry).thenComparing(Key::provider)
        .thenComparing(Key::targetModel).thenComparing(Key::kind);

    static Key of(LedgerRow r, Grain g) {
      return new Key(Math.floorDiv(r.ts().toEpochMilli(), g.millis) * g.millis, r.keyName(), r.team() == null ? "" : r.team(),
          r.modelEntry(), r.provider(), r.targetModel(), r.kind().wire());
    }

    @Override
    public int compareTo(Key o) {
      return ORDER.compare(this, o);
    }
  }

  /** What {@code r} adds to each of {@link #VALUES}: {@link #SUMS} in Java. */
  static long[] delta(LedgerRow r) {
    boolean cached = r.cachedReadTokens() > 0 || r.cacheWriteTokens() > 0;
    boolean rerouted = r.route() == AnswerRoute.REROUTED;
    return new long[] {1, r.attemptNo() <= 1 ? 1 : 0, r.inputTokens(), r.outputTokens(), r.cachedReadTokens(),
        r.cacheWriteTokens(), r.reasoningTokens(), r.costMicros(), r.outcome() == Outcome.OK ? r.costMicros() : 0,
        r.priceKnown() ? 0 : 1, r.savedMicros(), r.route() == null ? 0 : 1, rerouted ? 1 : 0,
        rerouted && r.fallback() ? 1 : 0, rerouted && r.routeBaselineMicros() == null ? 1 : 0,
        orZero(r.routeCostMicros()), orZero(r.routeBaselineMicros()), r.uncachedCostMicros() == null ? 0 : 1,
        cached && !r.priceKnown() ? 1 : 0, r.uncachedCostMicros() == null ? 0 : r.costMicros(),
        orZero(r.uncachedCostMicros())};
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  /**
   * Adds {@code inserted} (rows this transaction inserted, none already stored) to their hours and
   * days: one upsert per bucket and group, in key order (two replicas adding to the same buckets lock
   * them in the same order). SQLite: one execution per
   * bucket and group; PostgreSQL: all of a grain's in one statement ({@link UnnestInsert}).
   */
  static void add(Connection c, Dialect dialect, List<LedgerRow> inserted) throws SQLException {
    if (inserted.isEmpty()) {
      return;
    }
    for (Grain g : Grain.values()) {
      add(c, dialect, inserted, g);
    }
  }

  private static void add(Connection c, Dialect dialect, List<LedgerRow> inserted, Grain g) throws SQLException {
    TreeMap<Key, long[]> sums = new TreeMap<>();
    for (LedgerRow r : inserted) {
      long[] d = delta(r);
      long[] s = sums.computeIfAbsent(Key.of(r, g), k -> new long[VALUES.size()]);
      for (int i = 0; i < d.length; i++) {
        s[i] = Math.addExact(s[i], d[i]);
      }
    }
    List<Map.Entry<Key, long[]>> buckets = new ArrayList<>(sums.entrySet());
    if (dialect == Dialect.POSTGRESQL) {
      UnnestInsert.execute(c, g.insertInto, buckets, JdbcLedgerRollup::bind, g.onConflictAdd);
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(g.upsert)) {
      ChunkedBatch.execute(ps, buckets, ChunkedBatch.WHOLE, JdbcLedgerRollup::bind);
    }
  }

  private static void bind(RowParams p, Map.Entry<Key, long[]> bucket) throws SQLException {
    Key k = bucket.getKey();
    p.int8(k.hour());
    p.text(k.keyName());
    p.text(k.team());
    p.text(k.modelEntry());
    p.text(k.provider());
    p.text(k.targetModel());
    p.text(k.kind());
    for (long v : bucket.getValue()) {
      p.int8(v);
    }
  }

  /** Deletes the rollups' hours and days that end at or before {@code cutoff}; returns how many rows it deleted. */
  static int deleteBefore(Connection c, Instant cutoff) throws SQLException {
    int deleted = 0;
    for (Grain g : Grain.values()) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + g.table + " WHERE " + g.time + " <= ?")) {
        ps.setLong(1, cutoff.toEpochMilli() - g.millis);
        deleted += ps.executeUpdate();
      }
    }
    return deleted;
  }

  /**
   * The window {@code [from, to)} ({@code to} null: no end) summed per group, read from the
   * {@link #spans}: whole days, whole hours of the edge days, rows of the edge hours.
   */
  static List<LedgerTotals> totals(Connection c, Instant from, Instant to, LedgerTotals.By by) throws SQLException {
    Map<String, long[]> groups = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
    for (Span span : spans(from.toEpochMilli(), to == null ? null : to.toEpochMilli())) {
      sum(c, span, by, groups);
    }
    List<LedgerTotals> out = new ArrayList<>(groups.size());
    groups.forEach((g, v) -> out.add(LedgerTotals.of(by == LedgerTotals.By.TEAM && "".equals(g) ? null : g, v)));
    if (by == LedgerTotals.By.TEAM) {
      out.sort(Comparator.comparing(LedgerTotals::group, Comparator.nullsLast(Comparator.naturalOrder())));
    }
    return out;
  }

  /** Adds the sums of one span (a rollup's buckets or the ledger's rows) into {@code groups}. */
  private static void sum(Connection c, Span span, LedgerTotals.By by, Map<String, long[]> groups)
      throws SQLException {
    boolean rollup = span.grain() != null;
    String time = span.time();
    long from = span.from();
    Long to = span.to();
    String group = switch (by) {
      case ALL -> null;
      case MODEL -> "model_entry";
      case KEY -> "key_name";
      case TEAM -> rollup ? "team" : "COALESCE(team, '')";
      case PROVIDER -> "provider";
      case DAY -> time + " / " + DAY; // integer division on both engines: days since the epoch, UTC
    };
    StringBuilder sql = new StringBuilder("SELECT ").append(group == null ? "NULL" : group).append(" AS grp");
    for (int i = 0; i < VALUES.size(); i++) {
      sql.append(", SUM(").append(span.values().get(i)).append(')');
    }
    sql.append(" FROM ").append(span.table()).append(" WHERE ").append(time).append(" >= ?");
    if (to != null) {
      sql.append(" AND ").append(time).append(" < ?");
    }
    if (group != null) {
      sql.append(" GROUP BY ").append(group);
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setLong(1, from);
      if (to != null) {
        ps.setLong(2, to);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long attempts = rs.getLong(2);
          if (rs.wasNull()) {
            continue; // no rows (an aggregate without GROUP BY still answers one row)
          }
          String g = by == LedgerTotals.By.DAY ? LocalDate.ofEpochDay(rs.getLong(1)).toString() : rs.getString(1);
          long[] s = groups.computeIfAbsent(g, k -> new long[VALUES.size()]);
          s[0] = Math.addExact(s[0], attempts);
          for (int i = 1; i < VALUES.size(); i++) {
            s[i] = Math.addExact(s[i], rs.getLong(i + 2));
          }
        }
      }
    }
  }
}
