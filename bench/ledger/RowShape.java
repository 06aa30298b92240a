// What the shape of a ledger row costs SQLite through sqlite-jdbc (issue 19, twenty-second pass):
// the ledger's 35 columns bound one by one ("wide") against 7 columns that reads filter, group or sum
// on plus one text holding the other 28 ("pack"), with no index (argument 0) or with the ledger's
// four (1: id, ts, key_name/ts/cost/kind, team/ts/cost/kind partial), and optionally another page
// size (-Dps=8192: set before the tables, then VACUUM). 600 batches of 500 rows, one transaction per
// batch, the first 200 not counted; prints the calling thread's CPU per row (where SQLite runs).
//   CP=~/.m2/repository/org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar
//   javac -d /tmp/rs -cp $CP bench/ledger/RowShape.java
//   for m in wide pack; do for i in 0 1; do java -cp $CP:/tmp/rs RowShape $m $i; done; done
//   for ps in 4096 8192 16384; do java -Dps=$ps -cp $CP:/tmp/rs RowShape wide 1; done
// Results: bench/results/ledger-cost.md (2026-12-07, twenty-second pass).
import java.lang.management.*;
import java.sql.*;
import java.util.*;
public class RowShape {
  static final String[] COLS = ("id, request_id, attempt_no, ts, key_name, key_id, team, model_entry, provider, target_model, "
        + "status, error_class, outcome, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, "
        + "reasoning_tokens, cost_micros, price_known, estimated, latency_ms, ttft_ms, stream, client_disconnected, "
        + "hedge, retry, fallback, started_at, kind, saved_micros, route, route_cost_micros, route_baseline_micros, "
        + "uncached_cost_micros").split(", ");
  /** A ledger row's values: time-ordered ids, the bench's key, team and model, numbers elsewhere. */
  static Object[] row(long seq) {
    Object[] v = new Object[COLS.length];
    String rid = "01J" + Long.toString(1_000_000_000L + seq, 36) + "ABCDEFGHJK";
    for (int i = 0; i < v.length; i++) v[i] = (long) (seq % 1000 + i);
    v[0] = rid + ":1"; v[1] = rid; v[3] = 1_765_000_000_000L + seq; v[4] = "bench-key"; v[5] = "k_abcdef123456";
    v[6] = "team-a"; v[7] = "gpt-4o-mini"; v[8] = "openai"; v[9] = "gpt-4o-mini-2024"; v[11] = null; v[12] = "ok";
    v[29] = "answer"; v[31] = null; v[22] = null;
    return v;
  }
  public static void main(String[] a) throws Exception {
    String mode = a[0]; int idx = Integer.parseInt(a[1]);
    Properties p = new Properties(); p.setProperty("journal_mode", "WAL"); p.setProperty("synchronous", "NORMAL");
    String f = System.getProperty("java.io.tmpdir") + "/rowshape-" + mode + idx + ".db"; new java.io.File(f).delete(); new java.io.File(f + "-wal").delete();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f, p)) {
      int hot = 7; // id, ts, key_name, team, kind, cost_micros, model_entry: what the ledger's reads use
      int[] hotIx = {0, 3, 4, 6, 29, 18, 7};
      try (Statement s = c.createStatement()) {
        if (System.getProperty("ps") != null) { // a page size takes effect on an empty database by VACUUM
          s.execute("PRAGMA page_size=" + System.getProperty("ps"));
          s.execute("VACUUM");
        }
        if (mode.equals("wide")) s.execute("CREATE TABLE t (" + String.join(",", COLS) + ")");
        else s.execute("CREATE TABLE t (id, ts, key_name, team, kind, cost_micros, model_entry, rest)");
        if (idx == 1) {
          s.execute("CREATE UNIQUE INDEX t_id ON t(id)");
          s.execute("CREATE INDEX t_ts ON t(ts)");
          s.execute("CREATE INDEX t_k ON t(key_name, ts, cost_micros, kind)");
          s.execute("CREATE INDEX t_t ON t(team, ts, cost_micros, kind) WHERE team IS NOT NULL");
        }
      }
      c.setAutoCommit(false);
      String sql = mode.equals("wide") ? "INSERT INTO t VALUES (" + "?,".repeat(COLS.length - 1) + "?)"
          : "INSERT INTO t VALUES (?,?,?,?,?,?,?,?)";
      long seq = 0, cpu = 0, rows = 0;
      StringBuilder sb = new StringBuilder(256);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int b = 0; b < 600; b++) {
          List<Object[]> batch = new ArrayList<>(500);
          for (int i = 0; i < 500; i++) batch.add(row(seq++));
          long t0 = mx.getCurrentThreadCpuTime();
          for (Object[] v : batch) {
            if (mode.equals("wide")) {
              for (int i = 0; i < v.length; i++) ps.setObject(i + 1, v[i]);
            } else {
              for (int i = 0; i < hot; i++) ps.setObject(i + 1, v[hotIx[i]]);
              sb.setLength(0);
              for (int i = 0; i < v.length; i++) {
                boolean h = false; for (int x : hotIx) if (x == i) h = true;
                if (h) continue;
                if (v[i] != null) sb.append(v[i]);
                sb.append('\u001f');
              }
              ps.setString(8, sb.toString());
            }
            ps.addBatch();
          }
          ps.executeBatch(); c.commit();
          long t1 = mx.getCurrentThreadCpuTime();
          if (b >= 200) { cpu += t1 - t0; rows += 500; }
        }
      }
      System.out.printf("ps=" + System.getProperty("ps") + " %s idx=%d %.2f us/row%n", mode, idx, cpu / 1000.0 / rows);
    }
  }
}
