package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link LedgerStore#spend}: a spend report read as {@link LedgerStore#totals} reads, from
 * {@link JdbcLedgerRollup#spans}: whole UTC days from the daily rollup ({@code ledger_daily}), whole
 * hours of the edge days from the hourly one ({@code ledger_hourly}) and only the partial hours at
 * the window's edges from the ledger's rows, each group summed per row {@code kind} so the report can split the
 * clients' spend, the response cache's and the prompt caches' savings and the shadow spend.
 */
final class JdbcSpendReport {
  private static final long DAY = JdbcLedgerRollup.DAY;
  private static final int ATTEMPTS = 0;
  private static final int REQUESTS = 1;
  private static final int COST = 7;
  private static final int ANSWER_COST = 8;
  private static final int UNPRICED = 9;
  private static final int SAVED = 10;
  private static final int CACHE_COST = 19;
  private static final int UNCACHED_COST = 20;
  /**
   * The indexes into {@link JdbcLedgerRollup#VALUES} a report shows: only these 13 of the 21 are
   * summed (the routing and cache-attempt counters are the stats'). A month's statement sums ~30,000
   * daily rollup rows per value, and that aggregation is most of a month report's time
   * (bench/results/pg-volume.md).
   */
  static final int[] REPORTED = {ATTEMPTS, REQUESTS, 2, 3, 4, 5, 6, COST, ANSWER_COST, UNPRICED, SAVED, CACHE_COST,
      UNCACHED_COST};

  private JdbcSpendReport() {}

  static List<SpendRow> spend(Connection c, SpendQuery q) throws SQLException {
    // group -> kind -> sums of JdbcLedgerRollup.VALUES
    Map<String, Map<String, long[]>> groups = new HashMap<>();
    for (JdbcLedgerRollup.Span span : JdbcLedgerRollup.spans(q.from().toEpochMilli(),
        q.to() == null ? null : q.to().toEpochMilli())) {
      sum(c, span, q, groups);
    }
    List<SpendRow> out = new ArrayList<>(groups.size());
    groups.forEach((g, kinds) -> out.add(row(q.groupBy() == SpendQuery.GroupBy.TEAM && "".equals(g) ? null : g, kinds)));
    // Sorted here, not by ORDER BY: NULL placement and text collation differ between the engines.
    out.sort(Comparator.comparing(SpendRow::group, Comparator.nullsLast(Comparator.naturalOrder())));
    return out;
  }

  private static SpendRow row(String group, Map<String, long[]> kinds) {
    long[] all = new long[JdbcLedgerRollup.VALUES.size()];
    kinds.values().forEach(v -> {
      for (int i = 0; i < all.length; i++) {
        all[i] = Math.addExact(all[i], v[i]);
      }
    });
    long[] none = new long[all.length];
    long[] call = kinds.getOrDefault(RowKind.CALL.wire(), none);
    long[] hit = kinds.getOrDefault(RowKind.CACHE_HIT.wire(), none);
    long[] shadow = kinds.getOrDefault(RowKind.SHADOW.wire(), none);
    return new SpendRow(group, all[REQUESTS], all[ATTEMPTS], all[2], all[3], all[4], all[5], all[6], all[COST],
        all[ANSWER_COST], all[COST] - all[ANSWER_COST], all[UNPRICED], call[COST], hit[SAVED],
        call[UNCACHED_COST] - call[CACHE_COST], shadow[COST]);
  }

  /** One statement of a report: its SQL and its parameters, in order. */
  record Select(String sql, List<Object> params) {}

  /** Adds the sums of one span (a rollup's buckets or the ledger's rows) into {@code groups}. */
  private static void sum(Connection c, JdbcLedgerRollup.Span span, SpendQuery q,
      Map<String, Map<String, long[]>> groups) throws SQLException {
    int width = span.values().size();
    Select select = select(span, q);
    try (PreparedStatement ps = c.prepareStatement(select.sql())) {
      List<Object> params = select.params();
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String g = q.groupBy() == SpendQuery.GroupBy.DAY ? LocalDate.ofEpochDay(rs.getLong(1)).toString()
              : rs.getString(1);
          long[] s = groups.computeIfAbsent(g, k -> new TreeMap<>())
              .computeIfAbsent(rs.getString(2), k -> new long[width]);
          for (int i = 0; i < REPORTED.length; i++) {
            s[REPORTED[i]] = Math.addExact(s[REPORTED[i]], rs.getLong(i + 3));
          }
        }
      }
    }
  }

  /** The statement that sums one span of {@code q}, grouped by its group and the row kind. */
  static Select select(JdbcLedgerRollup.Span span, SpendQuery q) {
    boolean rollup = span.grain() != null;
    String time = span.time();
    long from = span.from();
    Long to = span.to();
    String group = switch (q.groupBy()) {
      case KEY -> "key_name";
      case TEAM -> rollup ? "team" : "COALESCE(team, '')";
      case MODEL -> "model_entry";
      case PROVIDER -> "provider";
      case DAY -> time + " / " + DAY; // integer division on both engines: days since the epoch, UTC
    };
    List<String> values = span.values();
    StringBuilder sql = new StringBuilder("SELECT ").append(group).append(" AS grp, kind");
    for (int i : REPORTED) {
      sql.append(", SUM(").append(values.get(i)).append(')');
    }
    sql.append(" FROM ").append(span.table()).append(" WHERE ").append(time).append(" >= ?");
    List<Object> params = new ArrayList<>();
    params.add(from);
    if (to != null) {
      sql.append(" AND ").append(time).append(" < ?");
      params.add(to);
    }
    if (q.keyName() != null || q.team() != null || q.groupBy() == SpendQuery.GroupBy.KEY
        || q.groupBy() == SpendQuery.GroupBy.TEAM) {
      sql.append(" AND kind <> 'shadow'"); // a key's or team's spend: shadow calls are charged to neither
    }
    if (q.keyName() != null) {
      sql.append(" AND key_name = ?");
      params.add(q.keyName());
    }
    if (q.team() != null) {
      sql.append(" AND team = ?");
      params.add(q.team());
    }
    sql.append(" GROUP BY ").append(group).append(", kind");
    return new Select(sql.toString(), params);
  }
}
