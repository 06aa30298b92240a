import java.lang.management.*;
import java.sql.*;
import java.util.*;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * Is one multi-row INSERT per 16 rows cheaper for SQLite than the store's one execution per row?
 * (issue 19, twenty-first pass; bench/results/ledger-cost.md). Both arms insert the same ledger and
 * request-log rows into their own database, migrated by Sluice's own migrations, one transaction per
 * batch of 202 + 202 rows, arms alternated batch by batch; CPU is the calling thread's (SQLite runs
 * on it). Arm "per row": the store's way, addBatch per row and executeBatch per 16 rows. Arm "multi":
 * INSERT ... VALUES (...), (...), ... with 16 rows' binds per execution (-Dk=N), the ledger's with
 * RETURNING id (-Dret=true), which the store would need to know which rows were new; -Dcached=true
 * prepares them once per connection instead of once per batch (the per-row arm prepares per batch, as
 * the store does).
 *
 *   java -cp gateway/target/sluice.jar [-Dk=16] [-Dret=true] bench/ledger/MultiRowInsert.java BATCHES DIR
 *
 * The first quarter of the batches is warm-up; a line per quarter after it: CPU per stored row.
 */
public class MultiRowInsert {
  static final int LCOLS = 35, RCOLS = 24;
  static final String LCOLUMNS = "id, request_id, attempt_no, ts, key_name, key_id, team, model_entry, provider, target_model, status, error_class, outcome, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, price_known, estimated, latency_ms, ttft_ms, stream, client_disconnected, hedge, retry, fallback, started_at, kind, saved_micros, route, route_cost_micros, route_baseline_micros, uncached_cost_micros";
  static final String RCOLUMNS = "id, ts, endpoint, key_name, key_id, team, model, provider, target_model, status, error_class, stream, client_disconnected, latency_us, ttft_us, queue_wait_us, overhead_us, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, attempts";
  static long seq = 0; static long ms = 1_700_000_000_000L;
  
  static String values(int cols, int rows) {
    StringBuilder one = new StringBuilder("(");
    for (int i = 0; i < cols; i++) one.append(i == 0 ? "?" : ", ?");
    one.append(")");
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows; r++) { if (r > 0) sb.append(", "); sb.append(one); }
    return sb.toString();
  }
  static Object[][] lrows(List<String> ids, long ts) {
    Object[][] out = new Object[ids.size()][];
    for (int k = 0; k < ids.size(); k++) {
      String rid = ids.get(k);
      out[k] = new Object[] {rid + ":1", rid, 1, ts, "key-" + (k % 8), "kid" + (k % 8), (k % 3 == 0) ? "team-a" : null, "gpt-4o-mini", "openai", "gpt-4o-mini-2024", 200, null, "ok", 120L + k, 30L, 0L, 0L, 0L, 1234L + k, 1, 0, 120L, null, 0, 0, 0, 0, 0, ts, "client", 0L, null, null, null, null};
    }
    return out;
  }
  static Object[][] rrows(List<String> ids, long ts) {
    Object[][] out = new Object[ids.size()][];
    for (int k = 0; k < ids.size(); k++) {
      out[k] = new Object[] {ids.get(k), ts, "/v1/chat/completions", "key-" + (k % 8), "kid" + (k % 8), (k % 3 == 0) ? "team-a" : null, "gpt-4o-mini", "openai", "gpt-4o-mini-2024", 200, null, 0, 0, 1200L + k, null, 0L, 90L, 120L, 30L, 0L, 0L, 0L, 1234L, 1};
    }
    return out;
  }
  static void set(PreparedStatement ps, int i, Object v) throws SQLException {
    if (v == null) ps.setNull(i, Types.NULL);
    else if (v instanceof String s) ps.setString(i, s);
    else if (v instanceof Integer n) ps.setInt(i, n);
    else ps.setLong(i, (Long) v);
  }
  static Connection open(String path) throws Exception {
    Flyway.configure(MultiRowInsert.class.getClassLoader()).dataSource("jdbc:sqlite:" + path, null, null).locations("classpath:db/migration/sqlite").load().migrate();
    SQLiteConfig config = new SQLiteConfig();
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path, config.toProperties());
    c.setAutoCommit(false);
    return c;
  }
  // arm 0: per row executeBatch chunks of 16; arm 1: multi-row 16 per statement
  static void batch(Connection c, int arm, Object[][] l, Object[][] r) throws SQLException {
    if (arm == 0) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger (" + LCOLUMNS + ") VALUES " + values(LCOLS, 1) + " ON CONFLICT DO NOTHING")) {
        int n = 0;
        for (Object[] row : l) { for (int i = 0; i < row.length; i++) set(ps, i + 1, row[i]); ps.addBatch(); if (++n % 16 == 0) ps.executeBatch(); }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO request_log (" + RCOLUMNS + ") VALUES " + values(RCOLS, 1) + " ON CONFLICT DO NOTHING")) {
        int n = 0;
        for (Object[] row : r) { for (int i = 0; i < row.length; i++) set(ps, i + 1, row[i]); ps.addBatch(); if (++n % 16 == 0) ps.executeBatch(); }
        ps.executeBatch();
      }
    } else {
      multi(c, "INSERT INTO ledger (" + LCOLUMNS + ") VALUES ", LCOLS, l, RET);
      multi(c, "INSERT INTO request_log (" + RCOLUMNS + ") VALUES ", RCOLS, r, false);
    }
    c.commit();
  }
  static int returned = 0; static boolean RET = Boolean.getBoolean("ret"); static int K = Integer.getInteger("k", 16);
  /** With -Dcached=true the multi-row statements are prepared once per connection and size, not per batch. */
  static final boolean CACHED = Boolean.getBoolean("cached");
  static final Map<String, PreparedStatement> PREPARED = new HashMap<>();

  static PreparedStatement prepare(Connection c, String sql) throws SQLException {
    if (!CACHED) {
      return c.prepareStatement(sql);
    }
    PreparedStatement ps = PREPARED.get(System.identityHashCode(c) + sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      PREPARED.put(System.identityHashCode(c) + sql, ps);
    }
    return ps;
  }

  static void multi(Connection c, String head, int cols, Object[][] rows, boolean returning) throws SQLException {
    int k = K;
    PreparedStatement full = prepare(c, head + values(cols, k) + " ON CONFLICT DO NOTHING" + (returning ? " RETURNING id" : ""));
    for (int at = 0; at < rows.length; at += k) {
      int n = Math.min(k, rows.length - at);
      PreparedStatement ps = n == k ? full : prepare(c, head + values(cols, n) + " ON CONFLICT DO NOTHING" + (returning ? " RETURNING id" : ""));
      int p = 0;
      for (int j = 0; j < n; j++) for (Object v : rows[at + j]) set(ps, ++p, v);
      if (returning) { try (ResultSet rs = ps.executeQuery()) { while (rs.next()) { rs.getString(1); returned++; } } }
      else ps.executeUpdate();
      if (ps != full && !CACHED) ps.close();
    }
    if (!CACHED) full.close();
  }
  public static void main(String[] a) throws Exception {
    int batches = Integer.parseInt(a[0]); int per = 202;
    Connection[] cs = {open(a[1] + "/a.db"), open(a[1] + "/b.db")};
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[2]; long[] rows = new long[2];
    for (int b = 0; b < batches; b++) {
      List<String> ids = new ArrayList<>();
      long ts = ms + b * 33L;
      for (int i = 0; i < per; i++) ids.add(String.format("req_%012x%020x", ts + i / 10, seq++));
      Object[][] l = lrows(ids, ts), r = rrows(ids, ts);
      int first = b % 2;
      for (int x = 0; x < 2; x++) {
        int arm = x == 0 ? first : 1 - first;
        long t0 = tm.getCurrentThreadCpuTime();
        batch(cs[arm], arm, l, r);
        long t1 = tm.getCurrentThreadCpuTime();
        if (b >= batches / 4) { cpu[arm] += t1 - t0; rows[arm] += 2 * per; }
      }
      if ((b + 1) % (batches / 4) == 0) {
        System.out.printf("after %d batches: per-row %.2f us vs multi %.2f us  ratio %.3f%n", b + 1, cpu[0] / 1000.0 / Math.max(1, rows[0]), cpu[1] / 1000.0 / Math.max(1, rows[1]), (double) cpu[1] / Math.max(1, cpu[0]));
      }
    }
    System.out.println("returned " + returned);
  }
}
