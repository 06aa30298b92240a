import dev.sluice.admin.AdminRoutes;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Ticker;
import dev.sluice.core.TokenUsage;
import dev.sluice.observe.RequestSummary;
import dev.sluice.observe.stats.StatsAggregator;
import dev.sluice.server.Gateway;
import dev.sluice.store.BatchRow;
import dev.sluice.store.AnswerRoute;
import dev.sluice.store.Budget;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.NewKey;
import dev.sluice.store.Outcome;
import dev.sluice.store.Store;
import dev.sluice.store.Team;
import dev.sluice.store.requestlog.RequestQuery;
import dev.sluice.store.requestlog.RequestRow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Console API benchmark: records a day of traffic (1,000,000 requests by default, ending now) into
 * a store the way the gateway records it — request-log rows and ledger rows (one per attempt:
 * retries, fail-overs, hedges) through the batch writer's {@code BatchStore}, per-minute stats
 * rollups through a real {@code StatsAggregator} flushed every simulated minute — then starts a
 * real gateway on that store and times, over HTTP on 127.0.0.1, every call the web console makes
 * for a 24-hour window: 3 warm-up calls, then {@code REPS} (20) timed; p50, p95 and max in ms.
 * Run by run.sh:
 *
 *   java -cp gateway/target/sluice.jar bench/console-api/ConsoleApiBench.java [requests] [store-url] [reps]
 *
 * Prints JSON. A store named on the command line that holds the day already is timed again, not
 * refilled (its window is the 24 hours up to its newest request). Deterministic traffic (seeded):
 * 8 models on 12 targets of 5 providers, 200 keys (Zipf-like use) in 20 teams (10% of keys without a
 * team), log-normal latencies per model, 60% streamed, ~4.5% failed requests over 9 error classes,
 * ~6% of requests with more than one attempt, 1% with stored bodies, a day/night traffic curve.
 */
public final class ConsoleApiBench {
  static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  static int warmups = 3;
  static final String MASTER = "sk-bench-master-0123456789";
  static final int KEYS = 200;
  static final int TEAMS = 20;
  // model, weight, median latency ms, micro-USD per 1k input / output tokens, targets (provider/model)
  static final Object[][] MODELS = {
      {"gpt-4o", 0.24, 900.0, 2_500, 10_000, new String[] {"openai/gpt-4o", "azure/gpt-4o"}},
      {"gpt-4o-mini", 0.22, 500.0, 150, 600, new String[] {"openai/gpt-4o-mini", "azure/gpt-4o-mini"}},
      {"claude-sonnet", 0.14, 1500.0, 3_000, 15_000, new String[] {"anthropic/claude-sonnet-4", "bedrock/claude-sonnet-4"}},
      {"claude-haiku", 0.10, 600.0, 800, 4_000, new String[] {"anthropic/claude-haiku-4"}},
      {"gemini-flash", 0.10, 450.0, 100, 400, new String[] {"gemini/gemini-2.0-flash"}},
      {"gemini-pro", 0.05, 1800.0, 1_250, 10_000, new String[] {"gemini/gemini-2.5-pro"}},
      {"o3-mini", 0.07, 4000.0, 1_100, 4_400, new String[] {"openai/o3-mini"}},
      {"embed", 0.08, 80.0, 20, 0, new String[] {"openai/text-embedding-3-small"}}};
  // status, error class, weight (per 1000 requests), attempts made (0: refused before any provider call)
  static final Object[][] FAILURES = {
      {429, "rate_limit_exceeded", 12.0, 0},
      {503, "upstream_overloaded", 6.0, 2},
      {502, "upstream_error", 6.0, 3},
      {504, "upstream_timeout", 5.0, 2},
      {499, "client_gone", 8.0, 1},
      {400, "context_length_exceeded", 3.0, 1},
      {402, "budget_exceeded", 2.0, 0},
      {400, "invalid_request", 2.0, 0},
      {400, "content_filter", 1.0, 1}};
  static final double[] MODEL_WEIGHTS = Arrays.stream(MODELS).mapToDouble(m -> (double) m[1]).toArray();
  static final double[] KEY_WEIGHTS = new double[KEYS];

  static {
    for (int k = 0; k < KEYS; k++) {
      KEY_WEIGHTS[k] = 1.0 / Math.pow(k + 1, 0.9);
    }
  }

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1); // Vert.x threads would keep the JVM up
    }
  }

  static void run(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path work = args.length > 1 && !args[1].isEmpty() ? null : Files.createTempDirectory("sluice-console-bench");
    String url = work == null ? args[1] : "sqlite:" + work.resolve("sluice.db");
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    warmups = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    Vertx vertx = Vertx.vertx();
    Store store = get(Store.open(vertx, url));

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", requests);
    out.put("store", url.startsWith("sqlite:") ? "sqlite" : "postgresql");
    out.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());

    // ---- a day of traffic ---------------------------------------------------------------------------
    List<RequestRow> newest = get(store.requests().list(RequestQuery.newest(1))).rows();
    Instant end;
    if (!newest.isEmpty()) {
      end = newest.get(0).ts().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
      out.put("requests", "those of the store, filled before (not counted here)");
      out.put("seeding", "reused a store filled before");
    } else {
      end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
      out.put("seeding", seed(vertx, store, requests, end));
      System.err.println("seeded: " + json(out.get("seeding"), ""));
    }
    Instant start = end.minus(Duration.ofDays(1));

    // ---- a gateway on that store --------------------------------------------------------------------
    StringBuilder models = new StringBuilder();
    for (Object[] m : MODELS) {
      String[] t = ((String[]) m[5])[0].split("/");
      models.append("  - { name: ").append(m[0]).append(", targets: [ { provider: ").append(t[0])
          .append(", model: ").append(t[1]).append(" } ] }\n");
    }
    String yaml = """
        server: { host: 127.0.0.1, port: 0, master_key: %s }
        providers:
          - { name: openai, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
          - { name: azure, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
          - { name: anthropic, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
          - { name: bedrock, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
          - { name: gemini, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
        models:
        %sstore: { url: "%s" }
        """.formatted(MASTER, models, url);
    get(store.close());
    SluiceConfig config = new ConfigLoader(name -> null).parse(yaml, "console-bench");
    Gateway gateway = get(Gateway.start(vertx, config, Ticker.system(), List.of(new AdminRoutes())));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + gateway.port();
    String window = "from=" + start + "&to=" + end;
    String client = plainKey(0); // the busiest key: the largest tenant answers

    // A request with more than one attempt, for the detail (timeline) calls.
    String detailAdmin = firstId(http, base + "/admin/requests?limit=500&" + window, MASTER, "\"attempts\":2");
    String detailTenant = firstId(http, base + "/v1/sluice/requests?limit=500&" + window, client, "\"attempts\":2");

    Map<String, String> calls = new LinkedHashMap<>();
    for (String metric : List.of("latency", "ttft", "requests", "errors", "cost")) {
      for (String by : List.of("none", "model", "provider", "key", "team")) {
        calls.put("stats " + metric + " by " + by, "/admin/stats?metric=" + metric + "&group_by=" + by + "&" + window);
      }
    }
    calls.put("stats latency by model, one key", "/admin/stats?metric=latency&group_by=model&key=key-000&" + window);
    calls.put("requests first page", "/admin/requests?" + window);
    calls.put("requests model=gpt-4o", "/admin/requests?model=gpt-4o&" + window);
    calls.put("requests status=5xx", "/admin/requests?status=5xx&" + window);
    calls.put("requests status=429", "/admin/requests?status=429&" + window);
    calls.put("requests error_class=upstream_timeout", "/admin/requests?error_class=upstream_timeout&" + window);
    calls.put("requests min_latency_ms=10000", "/admin/requests?min_latency_ms=10000&" + window);
    calls.put("requests key=key-000", "/admin/requests?key=key-000&" + window);
    calls.put("requests key=key-150 (light)", "/admin/requests?key=key-150&" + window);
    calls.put("requests team=team-03", "/admin/requests?team=team-03&" + window);
    calls.put("requests model=gemini-pro status=5xx", "/admin/requests?model=gemini-pro&status=5xx&" + window);
    calls.put("requests key=key-150 status=5xx", "/admin/requests?key=key-150&status=5xx&" + window);
    calls.put("requests min_latency_ms=30000 (none)", "/admin/requests?min_latency_ms=30000&" + window);
    calls.put("requests/{id}", "/admin/requests/" + detailAdmin);
    for (String by : List.of("day", "model", "provider", "key", "team")) {
      calls.put("spend by " + by, "/admin/spend?group_by=" + by + "&" + window);
    }
    // What the Overview and Cost pages call for spend since they stopped calling /admin/spend: the
    // stats rollups' cost (requests and tokens on the Cost page), one bucket per day or spanning the window.
    calls.put("page: spend in window (Overview, Cost total)", "/admin/stats?metric=cost&step=1d&" + window);
    for (String by : List.of("key", "team", "model", "provider")) {
      calls.put("page: spend by " + by + " over the window", "/admin/stats?metric=cost&group_by=" + by
          + "&step=1d&" + window);
    }
    for (String metric : List.of("requests", "tokens")) {
      calls.put("page: " + metric + " by day (Cost)", "/admin/stats?metric=" + metric + "&step=1d&" + window);
      for (String by : List.of("model", "provider", "team")) {
        calls.put("page: " + metric + " by " + by + " over the window (Cost)", "/admin/stats?metric=" + metric
            + "&group_by=" + by + "&step=1d&" + window);
      }
    }
    calls.put("page: cost savings (Cost)", "/admin/cost/savings?from=" + start);
    calls.put("keys", "/admin/keys");
    calls.put("teams", "/admin/teams");
    calls.put("tenant requests first page", "/v1/sluice/requests?" + window);
    calls.put("tenant requests status=5xx", "/v1/sluice/requests?status=5xx&" + window);
    calls.put("tenant requests/{id}", "/v1/sluice/requests/" + detailTenant);
    calls.put("tenant spend by model", "/v1/sluice/spend?group_by=model&" + window);
    calls.put("tenant spend by day", "/v1/sluice/spend?group_by=day&" + window);
    calls.put("tenant key", "/v1/sluice/key");
    calls.put("page: tenant spend in window", "/v1/sluice/stats?metric=cost&step=1d&" + window);
    calls.put("page: tenant spend by model over the window", "/v1/sluice/stats?metric=cost&group_by=model&step=1d&"
        + window);

    String only = System.getenv("ONLY"); // a regular expression: time only the calls whose name it finds
    if (only != null && !only.isBlank()) {
      calls.keySet().removeIf(name -> !java.util.regex.Pattern.compile(only).matcher(name).find());
    }
    String loadBefore = loadAverage();
    Map<String, Object> timings = new LinkedHashMap<>();
    List<String> over = new ArrayList<>();
    for (Map.Entry<String, String> call : calls.entrySet()) {
      String key = call.getValue().startsWith("/v1/") ? client : MASTER;
      Map<String, Object> t = time(http, base + call.getValue(), key, reps);
      t.put("path", call.getValue().replace(window, "<24h>"));
      timings.put(call.getKey(), t);
      if ((double) t.get("max_ms") >= 300) {
        over.add(call.getKey());
      }
      System.err.printf(Locale.ROOT, "%-45s p50 %7.1f  p95 %7.1f  max %7.1f ms  cpu p50 %7.1f ms  %d B%n", call.getKey(),
          t.get("p50_ms"), t.get("p95_ms"), t.get("max_ms"), t.get("cpu_p50_ms"), (Integer) t.get("bytes"));
    }
    if (calls.containsKey("page: cost savings (Cost)")) {
      // The savings as the endpoint computed them before V9 (run 4: p50 7.4 s), on the same store in the
      // same run: every ledger row of the window read, then re-priced at today's prices.
      Map<String, Object> t = timeOldSavings(gateway, config, start, Math.min(reps, 5));
      timings.put("cost savings, the old path (every row of the window, in process)", t);
      System.err.printf(Locale.ROOT, "%-45s p50 %7.1f  p95 %7.1f  max %7.1f ms  cpu p50 %7.1f ms%n", "savings, old path",
          t.get("p50_ms"), t.get("p95_ms"), t.get("max_ms"), t.get("cpu_p50_ms"));
    }
    out.put("load_average", loadBefore + " (before timing), " + loadAverage() + " (after)");
    out.put("window", Map.of("from", start.toString(), "to", end.toString()));
    out.put("repetitions", reps + " timed after " + Math.max(1, warmups) + " warm-up calls, one at a time");
    out.put("calls_at_or_over_300ms_max", over);
    out.put("calls", timings);
    System.out.println(json(out, ""));
    if (args.length > 3) {
      Files.writeString(Path.of(args[3]), table(out, timings));
    }
    get(gateway.shutdown(Duration.ofSeconds(2)));
    get(vertx.close());
    if (work != null) {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ---- seeding --------------------------------------------------------------------------------------

  static String plainKey(int k) {
    return String.format(Locale.ROOT, "sk-sluice-bench-%03d-0123456789abcdef", k);
  }

  static String team(int k) {
    return k % 10 == 9 ? null : String.format(Locale.ROOT, "team-%02d", k % TEAMS);
  }

  static Map<String, Object> seed(Vertx vertx, Store store, int requests, Instant end) {
    long t0 = System.nanoTime();
    Instant created = end.minus(Duration.ofDays(30));
    for (int t = 0; t < TEAMS; t++) {
      get(store.teams().upsert(new Team(String.format(Locale.ROOT, "team-%02d", t),
          new Budget(1_000_000_000L, Budget.Period.MONTHLY, Budget.Mode.SOFT), null, List.of(50, 80, 100), created)));
    }
    for (int k = 0; k < KEYS; k++) {
      NewKey.Builder b = NewKey.fromPlainKey(String.format(Locale.ROOT, "key_%03d", k), plainKey(k),
          String.format(Locale.ROOT, "key-%03d", k), created).team(team(k))
          .metadataJson("{\"service\":\"svc-" + k + "\",\"owner\":\"team-" + k % TEAMS + "\"}");
      if (k % 4 == 0) {
        b.budget(new Budget(50_000_000L, Budget.Period.MONTHLY, Budget.Mode.HARD));
      }
      get(store.keys().insert(b.build()));
    }

    MutableClock clock = new MutableClock();
    StatsAggregator stats = StatsAggregator.create(vertx, store.stats(), "replica-1", clock, (p, t) -> () -> {});
    SplittableRandom random = new SplittableRandom(42);
    Instant start = end.minus(Duration.ofDays(1));
    long ledgerRows = 0;
    long bodies = 0;
    long statsNanos = 0;
    List<BatchRow> batch = new ArrayList<>(4096);
    Future<Integer> inFlight = Future.succeededFuture(0);
    double[] curve = new double[1440];
    double curveTotal = 0;
    for (int m = 0; m < 1440; m++) {
      // busiest at 15:00 UTC, a third of that at 03:00
      curve[m] = 2 + Math.cos((m - 900) * 2 * Math.PI / 1440);
      curveTotal += curve[m];
    }
    double cumulative = 0;
    long made = 0;
    for (int minute = 0; minute < 1440; minute++) {
      cumulative += curve[minute];
      long upTo = minute == 1439 ? requests : Math.round(requests * cumulative / curveTotal);
      long n = upTo - made;
      made = upTo;
      long minuteStart = start.toEpochMilli() + minute * 60_000L;
      clock.set(minuteStart + 30_000);
      for (long i = 0; i < n; i++) {
        long startedAt = minuteStart + random.nextInt(60_000);
        Generated g = request(random, startedAt);
        batch.add(g.row);
        batch.addAll(g.attempts);
        ledgerRows += g.attempts.size();
        bodies += g.row.bodies() == null ? 0 : 1;
        long s = System.nanoTime();
        stats.requestFinished(g.summary);
        statsNanos += System.nanoTime() - s;
        if (batch.size() >= 4000) {
          get(inFlight);
          inFlight = store.batches().insertBatch(batch);
          batch = new ArrayList<>(4096);
        }
      }
      // One writer connection: the rows in flight first, then the minute's stats (as a gateway's
      // 10 s flush would, between batches); a flush that fails is written again by the next one.
      get(inFlight);
      long s = System.nanoTime();
      flush(stats);
      statsNanos += System.nanoTime() - s;
    }
    get(inFlight);
    get(store.batches().insertBatch(batch));
    clock.set(end.toEpochMilli() + 30_000); // seals the last minute
    flush(stats);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", round((System.nanoTime() - t0) / 1e9));
    m.put("stats_seconds", round(statsNanos / 1e9));
    m.put("request_rows", requests);
    m.put("ledger_rows", ledgerRows);
    m.put("rows_with_bodies", bodies);
    m.put("keys", KEYS);
    m.put("teams", TEAMS);
    return m;
  }

  static void flush(StatsAggregator stats) {
    for (int attempt = 1; ; attempt++) {
      try {
        get(stats.flush());
        return;
      } catch (RuntimeException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  record Generated(RequestRow row, List<LedgerRow> attempts, RequestSummary summary) {}

  static Generated request(SplittableRandom r, long startedAt) {
    Object[] m = MODELS[pick(r, MODEL_WEIGHTS)];
    String model = (String) m[0];
    String[] targets = (String[]) m[5];
    int key = pick(r, KEY_WEIGHTS);
    String keyName = String.format(Locale.ROOT, "key-%03d", key);
    String keyId = String.format(Locale.ROOT, "key_%03d", key);
    String team = team(key);
    boolean embed = model.equals("embed");
    boolean stream = !embed && r.nextDouble() < 0.6;
    int status = 200;
    String errorClass = null;
    int attempts = 1;
    double x = r.nextDouble() * 1000;
    for (Object[] f : FAILURES) {
      x -= (double) f[2];
      if (x < 0) {
        status = (int) f[0];
        errorClass = (String) f[1];
        attempts = (int) f[3];
        break;
      }
    }
    String kind = "plain";
    if (errorClass == null) {
      double y = r.nextDouble();
      if (y < 0.03) {
        kind = "retry";
        attempts = 2;
      } else if (y < 0.045) {
        kind = "failover";
        attempts = 2;
      } else if (y < 0.055) {
        kind = "hedge";
        attempts = 2;
      }
    }
    double median = (double) m[2];
    long latencyMs = Math.max(5, (long) (median * Math.exp(0.7 * gaussian(r))));
    if (errorClass != null && attempts == 0) {
      latencyMs = 1 + r.nextInt(3);
    } else if ("upstream_timeout".equals(errorClass)) {
      latencyMs = 30_000L * attempts;
    }
    long queueWaitUs = r.nextDouble() < 0.1 ? r.nextInt(200_000) : 0;
    long overheadUs = (long) (400 * Math.exp(0.8 * gaussian(r)));
    long in = embed ? 50 + r.nextInt(500) : 200 + r.nextInt(3_000);
    long out = embed || errorClass != null ? 0 : 20 + r.nextInt(800);
    long cached = !embed && r.nextDouble() < 0.3 ? in / 2 : 0;
    long reasoning = model.equals("o3-mini") ? out * 2 : 0;
    boolean ok = errorClass == null;
    long costIn = (int) m[3];
    long costOut = (int) m[4];
    String id = requestId(r);
    Instant ts = Instant.ofEpochMilli(startedAt);
    List<LedgerRow> rows = new ArrayList<>(attempts);
    long total = 0;
    long attemptStart = startedAt + queueWaitUs / 1000;
    String[] winner = targets[0].split("/");
    for (int a = 1; a <= attempts; a++) {
      boolean last = a == attempts;
      String[] t = targets[(a - 1 + r.nextInt(targets.length)) % targets.length].split("/");
      String entry = model;
      if (kind.equals("failover") && last) {
        Object[] other = MODELS[(Arrays.asList(MODELS).indexOf(m) + 1) % (MODELS.length - 1)];
        entry = (String) other[0];
        t = ((String[]) other[5])[0].split("/");
      }
      Outcome o;
      int st;
      String err;
      long lat;
      long aIn = in;
      long aOut;
      if (ok && (last || kind.equals("hedge"))) {
        boolean lost = kind.equals("hedge") && a == 1;
        o = lost ? Outcome.HEDGE_LOST : Outcome.OK;
        st = 200;
        err = null;
        lat = latencyMs;
        aOut = lost ? out / 2 : out;
      } else if (ok) {
        o = Outcome.ERROR; // the failed attempt before a retry or a fail-over
        st = 503;
        err = "upstream_overloaded";
        lat = 50 + r.nextInt(400);
        aIn = 0;
        aOut = 0;
      } else if (errorClass.equals("client_gone")) {
        o = Outcome.CANCELLED;
        st = 499;
        err = null;
        lat = latencyMs;
        aOut = r.nextInt(100);
      } else {
        o = Outcome.ERROR;
        st = status;
        err = errorClass;
        lat = latencyMs / attempts;
        aIn = 0;
        aOut = 0;
      }
      long cost = (aIn * costIn + aOut * costOut) / 1000;
      total += cost;
      if (o == Outcome.OK) {
        winner = t;
      }
      rows.add(LedgerRow.builder(id, a, Instant.ofEpochMilli(attemptStart + lat))
          .key(keyName, keyId, team)
          .target(entry, t[0], t[1])
          .status(st)
          .errorClass(err)
          .outcome(o)
          .tokens(aIn, aOut, o == Outcome.OK ? cached : 0, 0, o == Outcome.OK ? reasoning : 0)
          .cost(cost, true, false)
          .latency(lat, stream && o == Outcome.OK ? lat / 4 : null)
          .stream(stream)
          .clientDisconnected(errorClass != null && errorClass.equals("client_gone"))
          .hedge(kind.equals("hedge") && a == 2)
          .retry(a > 1 && !kind.equals("hedge"))
          .fallback(!entry.equals(model))
          .startedAt(Instant.ofEpochMilli(attemptStart))
          .build());
      if (!kind.equals("hedge")) {
        attemptStart += lat;
      }
    }
    if (!ok && !rows.isEmpty()) {
      winner = new String[] {rows.get(rows.size() - 1).provider(), rows.get(rows.size() - 1).targetModel()};
    }
    savingsFacts(rows, total);
    long latencyUs = latencyMs * 1000 + queueWaitUs + overheadUs;
    Long ttftUs = stream && ok ? latencyUs / 4 : null;
    RequestRow.Bodies b = r.nextDouble() < 0.01 ? new RequestRow.Bodies(
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "lorem ipsum ".repeat(60)
            + "\"}]}", "{\"choices\":[{\"message\":{\"content\":\"" + "dolor sit amet ".repeat(40) + "\"}}]}", false,
        false) : null;
    boolean served = attempts > 0;
    RequestRow row = RequestRow.builder(id, ts)
        .endpoint(embed ? "embeddings" : r.nextDouble() < 0.2 ? "messages" : "chat")
        .key(keyName, keyId, team)
        .model(model)
        .servedBy(served ? winner[0] : null, served ? winner[1] : null)
        .status(status)
        .errorClass(errorClass)
        .stream(stream)
        .clientDisconnected("client_gone".equals(errorClass))
        .timing(latencyUs, ttftUs, queueWaitUs, overheadUs)
        .tokens(served ? in : 0, out, cached, 0, reasoning)
        .cost(total)
        .attempts(attempts)
        .bodies(b)
        .build();
    RequestSummary summary = new RequestSummary(id, startedAt, row.endpoint(), keyName, keyId, team, model,
        row.provider(), row.targetModel(), status, errorClass, stream, row.clientDisconnected(), latencyUs * 1000,
        ttftUs == null ? -1 : ttftUs * 1000, queueWaitUs * 1000, overheadUs * 1000,
        new TokenUsage(row.inputTokens(), out, cached, 0, reasoning), total, attempts, null);
    return new Generated(row, rows, summary);
  }

  /**
   * The savings facts the accountant records on a request's rows (V9), with the bench's prices and
   * the gateway's config below (each model entry's first target is the first of its targets): the
   * answering row's route (and, rerouted, the request's cost and the answer at the first target);
   * on a prompt-cached attempt, its price with the cached half of the prompt at the input price.
   */
  static void savingsFacts(List<LedgerRow> rows, long total) {
    for (int i = 0; i < rows.size(); i++) {
      LedgerRow a = rows.get(i);
      LedgerRow.Builder b = a.toBuilder();
      if (a.cachedReadTokens() > 0) {
        b.uncachedCost(a.costMicros() + a.cachedReadTokens() * (int) model(a.modelEntry())[3] / 2000);
      }
      if (a.outcome() == Outcome.OK && rows.subList(0, i).stream().noneMatch(r -> r.outcome() == Outcome.OK)) {
        Object[] m = model(a.modelEntry());
        if (((String[]) m[5])[0].equals(a.provider() + "/" + a.targetModel())) {
          b.route(AnswerRoute.FIRST, null, null);
        } else {
          b.route(AnswerRoute.REROUTED, total, (a.inputTokens() * (int) m[3] + a.outputTokens() * (int) m[4]) / 1000);
        }
      }
      rows.set(i, b.build());
    }
  }

  static Object[] model(String name) {
    for (Object[] m : MODELS) {
      if (m[0].equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }

  static String requestId(SplittableRandom r) {
    return String.format(Locale.ROOT, "req_%016x%016x", r.nextLong(), r.nextLong());
  }

  static int pick(SplittableRandom r, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  // ---- timing ---------------------------------------------------------------------------------------

  static HttpResponse<String> send(HttpClient http, String uri, String key) {
    try {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(uri))
          .header("authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new IllegalStateException(uri + " -> " + res.statusCode() + " " + res.body());
      }
      return res;
    } catch (java.io.IOException | InterruptedException e) {
      throw new RuntimeException(e);
    }
  }

  /** The id of the first listed request whose JSON contains {@code marker}. */
  static String firstId(HttpClient http, String uri, String key, String marker) {
    String body = send(http, uri, key).body();
    int at = body.indexOf(marker);
    if (at < 0) {
      throw new IllegalStateException("no request with " + marker + " on " + uri);
    }
    int idAt = body.lastIndexOf("\"id\":\"", at);
    return body.substring(idAt + 6, body.indexOf('"', idAt + 6));
  }

  /** Warm-up calls (3 unless told), then {@code reps} timed ones: p50, p95, max in ms, and the answer's size. */
  static Map<String, Object> time(HttpClient http, String uri, String key, int reps) {
    int size = 0;
    for (int i = 0; i < Math.max(1, warmups); i++) {
      size = send(http, uri, key).body().length();
    }
    double[] runs = new double[reps];
    double[] cpu = new double[reps];
    for (int i = 0; i < reps; i++) {
      long c = CPU.getProcessCpuTime();
      long t = System.nanoTime();
      send(http, uri, key);
      runs[i] = (System.nanoTime() - t) / 1e6;
      cpu[i] = (CPU.getProcessCpuTime() - c) / 1e6;
    }
    Arrays.sort(runs);
    Arrays.sort(cpu);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50_ms", round(runs[(int) Math.ceil(0.50 * reps) - 1]));
    m.put("p95_ms", round(runs[(int) Math.ceil(0.95 * reps) - 1]));
    m.put("max_ms", round(runs[reps - 1]));
    m.put("cpu_p50_ms", round(cpu[(int) Math.ceil(0.50 * reps) - 1]));
    m.put("bytes", size);
    return m;
  }

  /** The pre-V9 savings computation (LedgerStore.rowsBetween, then RoutingSavings/PromptCacheSavings over the rows). */
  static Map<String, Object> timeOldSavings(Gateway gateway, SluiceConfig config, Instant from, int reps) {
    dev.sluice.billing.Pricing pricing = dev.sluice.billing.Pricing.from(config, dev.sluice.cost.PriceCatalog.bundled());
    Map<String, List<dev.sluice.core.Target>> targets = new LinkedHashMap<>();
    for (Object[] m : MODELS) {
      String[] t = ((String[]) m[5])[0].split("/");
      targets.put((String) m[0], List.of(new dev.sluice.core.Target(t[0], t[1], 1)));
    }
    java.util.function.BiFunction<dev.sluice.core.Target, TokenUsage, java.util.OptionalLong> cost = (t, u) -> {
      dev.sluice.cost.Cost c = pricing.cost(t, u);
      return c.priceKnown() ? java.util.OptionalLong.of(c.total().value()) : java.util.OptionalLong.empty();
    };
    double[] runs = new double[reps];
    double[] cpu = new double[reps];
    for (int i = -1; i < reps; i++) { // one warm-up
      long c = CPU.getProcessCpuTime();
      long t = System.nanoTime();
      List<LedgerRow> rows = get(gateway.store().ledger().rowsBetween(from, null));
      dev.sluice.billing.RoutingSavings.of(rows, name -> targets.getOrDefault(name, List.of()), cost);
      dev.sluice.billing.PromptCacheSavings.of(rows, cost);
      if (i >= 0) {
        runs[i] = (System.nanoTime() - t) / 1e6;
        cpu[i] = (CPU.getProcessCpuTime() - c) / 1e6;
      }
    }
    Arrays.sort(runs);
    Arrays.sort(cpu);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50_ms", round(runs[(int) Math.ceil(0.50 * reps) - 1]));
    m.put("p95_ms", round(runs[(int) Math.ceil(0.95 * reps) - 1]));
    m.put("max_ms", round(runs[reps - 1]));
    m.put("cpu_p50_ms", round(cpu[(int) Math.ceil(0.50 * reps) - 1]));
    m.put("bytes", 0);
    m.put("path", "(in process) rowsBetween(from, null) + RoutingSavings.of(rows) + PromptCacheSavings.of(rows)");
    return m;
  }

  /** The timings as a Markdown table, for results/console-api.md. */
  @SuppressWarnings("unchecked")
  static String table(Map<String, Object> out, Map<String, Object> timings) {
    StringBuilder sb = new StringBuilder();
    sb.append("| call | path | p50 ms | p95 ms | max ms | CPU p50 ms | answer bytes |\n|---|---|---:|---:|---:|---:|---:|\n");
    timings.forEach((name, v) -> {
      Map<String, Object> t = (Map<String, Object>) v;
      sb.append(String.format(Locale.ROOT, "| %s%s | `%s` | %s | %s | %s | %s | %s |%n", name,
          (double) t.get("max_ms") >= 300 ? " **(≥ 300 ms)**" : "", t.get("path"), t.get("p50_ms"), t.get("p95_ms"),
          t.get("max_ms"), t.get("cpu_p50_ms"), t.get("bytes")));
    });
    return sb.toString();
  }

  /** 1, 5 and 15-minute load averages: the machine is shared, and wall-clock times move with it. */
  static String loadAverage() {
    try {
      return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static <T> T get(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  static String json(Object o, String indent) {
    if (o instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(indent).append("  ").append(json(String.valueOf(e.getKey()), "")).append(": ")
            .append(json(e.getValue(), indent + "  ")).append(++i < m.size() ? ",\n" : "\n");
      }
      return sb.append(indent).append("}").toString();
    }
    if (o instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(json(l.get(i), indent));
      }
      return sb.append("]").toString();
    }
    if (o instanceof String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    return String.valueOf(o);
  }

  static final class MutableClock extends Clock {
    final AtomicLong millis = new AtomicLong();

    void set(long t) {
      millis.set(t);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
