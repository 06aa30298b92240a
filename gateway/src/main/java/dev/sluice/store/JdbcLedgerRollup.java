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
 * The hourly rollup of the ledger ({@code ledger_hourly}, V9): written in the ledger insert's
 * transaction by the rows that insert actually added, read by {@link LedgerStore#totals}. Each
 * ledger row adds the same amounts to its hour's group whether it is summed here at insert time
 * ({@link #delta}) or read back from the ledger for a window's partial edge hours ({@link #SUMS}):
 * the two lists say the same thing, in the same order as {@link #VALUES}.
 */
final class JdbcLedgerRollup {
  static final long HOUR = 3_600_000L;
  private static final long DAY = 86_400_000L;
  private static final String KEY_COLUMNS = "hour, key_name, team, model_entry, provider, target_model, kind";
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
  private static final String UPSERT;

  static {
    StringBuilder sql = new StringBuilder("INSERT INTO ledger_hourly (").append(KEY_COLUMNS);
    VALUES.forEach(v -> sql.append(", ").append(v));
    sql.append(") VALUES (?, ?, ?, ?, ?, ?, ?").append(", ?".repeat(VALUES.size()))
        .append(") ON CONFLICT (").append(KEY_COLUMNS).append(") DO UPDATE SET ");
    for (int i = 0; i < VALUES.size(); i++) {
      String v = VALUES.get(i);
      sql.append(i == 0 ? "" : ", ").append(v).append(" = ledger_hourly.").append(v).append(" + excluded.").append(v);
    }
    UPSERT = sql.toString();
  }

  private JdbcLedgerRollup() {}

  /** One rollup row's key; ordered, so concurrent writers (PostgreSQL replicas) lock rows in one order. */
  private record Key(long hour, String keyName, String team, String modelEntry, String provider, String targetModel,
      String kind) implements Comparable<Key> {
    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::hour).thenComparing(Key::keyName)
        .thenComparing(Key::team).thenComparing(Key::modelEntry).thenComparing(Key::provider)
        .thenComparing(Key::targetModel).thenComparing(Key::kind);

    static Key of(LedgerRow r) {
      return new Key(Math.floorDiv(r.ts().toEpochMilli(), HOUR) * HOUR, r.keyName(), r.team() == null ? "" : r.team(),
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

  /** Adds {@code inserted} (rows this transaction inserted, none already stored) to their hours. */
  static void add(Connection c, List<LedgerRow> inserted) throws SQLException {
    if (inserted.isEmpty()) {
      return;
    }
    TreeMap<Key, long[]> sums = new TreeMap<>();
    for (LedgerRow r : inserted) {
      long[] d = delta(r);
      long[] s = sums.computeIfAbsent(Key.of(r), k -> new long[VALUES.size()]);
      for (int i = 0; i < d.length; i++) {
        s[i] = Math.addExact(s[i], d[i]);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (Map.Entry<Key, long[]> e : sums.entrySet()) {
        Key k = e.getKey();
        int i = 0;
        ps.setLong(++i, k.hour());
        ps.setString(++i, k.keyName());
        ps.setString(++i, k.team());
        ps.setString(++i, k.modelEntry());
        ps.setString(++i, k.provider());
        ps.setString(++i, k.targetModel());
        ps.setString(++i, k.kind());
        for (long v : e.getValue()) {
          ps.setLong(++i, v);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Deletes the rollup's hours that end at or before {@code cutoff}; returns how many rows it deleted. */
  static int deleteBefore(Connection c, Instant cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM ledger_hourly WHERE hour <= ?")) {
      ps.setLong(1, cutoff.toEpochMilli() - HOUR);
      return ps.executeUpdate();
    }
  }

  /**
   * The window {@code [from, to)} ({@code to} null: no end) summed per group: whole hours from the
   * rollup, the partial hours at the edges from the ledger's rows (through its {@code ts} index).
   */
  static List<LedgerTotals> totals(Connection c, Instant from, Instant to, LedgerTotals.By by) throws SQLException {
    long f = from.toEpochMilli();
    Long t = to == null ? null : to.toEpochMilli();
    long firstHour = Math.floorDiv(f + HOUR - 1, HOUR) * HOUR;
    Long endHour = t == null ? null : Math.floorDiv(t, HOUR) * HOUR;
    Map<String, long[]> groups = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
    if (endHour != null && firstHour >= endHour) {
      sum(c, false, by, f, t, groups); // no whole hour inside: the rows themselves
    } else {
      if (f < firstHour) {
        sum(c, false, by, f, firstHour, groups);
      }
      sum(c, true, by, firstHour, endHour, groups);
      if (endHour != null && endHour < t) {
        sum(c, false, by, endHour, t, groups);
      }
    }
    List<LedgerTotals> out = new ArrayList<>(groups.size());
    groups.forEach((g, v) -> out.add(LedgerTotals.of(by == LedgerTotals.By.TEAM && "".equals(g) ? null : g, v)));
    if (by == LedgerTotals.By.TEAM) {
      out.sort(Comparator.comparing(LedgerTotals::group, Comparator.nullsLast(Comparator.naturalOrder())));
    }
    return out;
  }

  /** Adds the sums of {@code [from, to)} of the rollup (hours) or the ledger (rows) into {@code groups}. */
  private static void sum(Connection c, boolean rollup, LedgerTotals.By by, long from, Long to,
      Map<String, long[]> groups) throws SQLException {
    String time = rollup ? "hour" : "ts";
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
      sql.append(", SUM(").append(rollup ? VALUES.get(i) : SUMS.get(i)).append(')');
    }
    sql.append(" FROM ").append(rollup ? "ledger_hourly" : "ledger").append(" WHERE ").append(time).append(" >= ?");
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
