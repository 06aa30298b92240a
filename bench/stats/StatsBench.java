import dev.sluice.admin.AdminRoutes;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Ticker;
import dev.sluice.core.TokenUsage;
import dev.sluice.observe.RequestSummary;
import dev.sluice.observe.stats.StatsAggregator;
import dev.sluice.server.Gateway;
import dev.sluice.store.stats.StatsDimension;
import dev.sluice.store.stats.StatsQuery;
import dev.sluice.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Stats query benchmark: records a day of requests (1,000,000 by default) through three real
 * StatsAggregators (three replicas) into one store, flushing each replica once per simulated
 * minute (the rows stored are those 10-second flushes would leave: rows are cumulative), then times
 * GET /admin/stats on a real gateway over that store, and the store query alone. Run by run.sh:
 *
 *   java -cp gateway/target/sluice.jar bench/stats/StatsBench.java [requests] [store-url]
 *
 * Prints JSON. Deterministic traffic (seeded): 6 models on 8 targets of 4 providers, 100 keys in
 * 10 teams (Zipf-like use), log-normal latencies per model, 60% streamed (TTFT), 2% errors.
 */
public final class StatsBench {
  static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");
  static final int REPLICAS = 3;
  static final String MASTER = "sk-bench-master-0123456789";
  // model, weight, median latency ms, targets (provider/model)
  static final Object[][] MODELS = {
      {"gpt-4o", 0.30, 900.0, new String[] {"openai/gpt-4o", "azure/gpt-4o"}},
      {"gpt-4o-mini", 0.25, 500.0, new String[] {"openai/gpt-4o-mini"}},
      {"claude-sonnet", 0.15, 1500.0, new String[] {"anthropic/claude-sonnet-4", "openai/claude-sonnet-4"}},
      {"claude-haiku", 0.10, 600.0, new String[] {"anthropic/claude-haiku-4"}},
      {"gemini-flash", 0.12, 450.0, new String[] {"gemini/gemini-2.0-flash"}},
      {"embed", 0.08, 80.0, new String[] {"openai/text-embedding-3-small"}}};
  static final int KEYS = 100;

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path work = args.length > 1 ? null : Files.createTempDirectory("sluice-stats-bench");
    String url = args.length > 1 ? args[1] : "sqlite:" + work.resolve("stats.db");
    Vertx vertx = Vertx.vertx();
    Store store = get(Store.open(vertx, url));
    long from = DAY.toEpochMilli() / 60_000;
    // A store given on the command line that holds the day already is queried again, not refilled.
    List<dev.sluice.store.stats.StatsCell> before = get(store.stats().query(new StatsQuery(from, from + 1440, 1440, null,
        Map.of(), null)));
    boolean reuse = !before.isEmpty() && before.get(0).requests() == requests;

    // ---- record a day ----------------------------------------------------------------------------
    MutableClock clock = new MutableClock();
    List<StatsAggregator> replicas = new ArrayList<>();
    for (int r = 0; r < REPLICAS; r++) {
      replicas.add(StatsAggregator.create(vertx, store.stats(), "replica-" + (r + 1), clock, (p, t) -> () -> {}));
    }
    double[] keyWeights = new double[KEYS];
    for (int k = 0; k < KEYS; k++) {
      keyWeights[k] = 1.0 / (k + 1);
    }
    SplittableRandom random = new SplittableRandom(42);
    long[] exactGpt4o = new long[requests];
    int exactCount = 0;
    long ingestStart = System.nanoTime();
    for (int minute = 0; minute < 1440; minute++) {
      clock.set(DAY.plusSeconds(minute * 60L + 30));
      long n = (long) (minute + 1) * requests / 1440 - (long) minute * requests / 1440;
      for (long i = 0; i < n; i++) {
        RequestSummary s = request(random, keyWeights, clock.millis());
        if (s.model().equals("gpt-4o")) {
          exactGpt4o[exactCount++] = s.latencyNanos() / 1_000;
        }
        StatsAggregator replica = replicas.get(random.nextInt(REPLICAS));
        if (!reuse) {
          replica.requestFinished(s);
        }
      }
      List<Future<Void>> flushes = new ArrayList<>();
      replicas.forEach(r -> flushes.add(r.flush()));
      get(Future.all(flushes));
    }
    clock.set(DAY.plus(Duration.ofDays(1)).plusSeconds(30)); // seals the last minute
    for (StatsAggregator r : replicas) {
      get(r.flush());
    }
    double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;

    // ---- a gateway on that store ------------------------------------------------------------------
    String yaml = """
        server: { host: 127.0.0.1, port: 0, master_key: %s }
        providers:
          - { name: openai, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
        models:
          - { name: gpt-4o, targets: [ { provider: openai, model: gpt-4o } ] }
        store: { url: "%s" }
        """.formatted(MASTER, url);
    SluiceConfig config = new ConfigLoader(name -> null).parse(yaml, "stats-bench");
    Gateway gateway = get(Gateway.start(vertx, config, Ticker.system(), List.of(new AdminRoutes())));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String window = "&from=" + DAY + "&to=" + DAY.plus(Duration.ofDays(1));
    String base = "http://127.0.0.1:" + gateway.port() + "/admin/stats?";

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", requests);
    out.put("replicas", REPLICAS);
    out.put("store", url.startsWith("sqlite:") ? "sqlite" : "postgresql");
    out.put("ingest_seconds", reuse ? "reused a store filled before" : round(ingestSeconds));
    out.put("rows", rowCounts(url));
    out.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());

    Map<String, Object> queries = new LinkedHashMap<>();
    String[][] http_queries = {
        {"24h_latency_per_model", "metric=latency&group_by=model"},
        {"24h_latency_all", "metric=latency"},
        {"24h_ttft_per_model", "metric=ttft&group_by=model"},
        {"24h_requests_per_model", "metric=requests&group_by=model"},
        {"24h_latency_per_team", "metric=latency&group_by=team"},
        {"24h_latency_per_target", "metric=latency&group_by=target"},
        {"24h_latency_per_key", "metric=latency&group_by=key"},
        {"24h_latency_per_model_of_one_key", "metric=latency&group_by=model&key=key-000"},
        {"1h_latency_per_model", "metric=latency&group_by=model&from=2026-03-01T12:00:00Z&to=2026-03-01T13:00:00Z"}};
    for (String[] q : http_queries) {
      String uri = base + q[1] + (q[1].contains("from=") ? "" : window);
      queries.put(q[0], time(() -> {
        try {
          HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(uri))
              .header("authorization", "Bearer " + MASTER).GET().build(), HttpResponse.BodyHandlers.ofString());
          if (res.statusCode() != 200) {
            throw new IllegalStateException(res.statusCode() + " " + res.body());
          }
          return res.body().length();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    out.put("http_ms", queries);
    StatsQuery perModel = new StatsQuery(from, from + 1440, 5, StatsDimension.MODEL, Map.of(), StatsQuery.Timing.LATENCY);
    out.put("store_only_ms", Map.of("24h_latency_per_model", time(() -> get(store.stats().query(perModel)).size())));

    // ---- exactness: the day's p99 of gpt-4o from the merged rows of three replicas ---------------
    long[] exact = Arrays.copyOf(exactGpt4o, exactCount);
    Arrays.sort(exact);
    long exactP99 = exact[(int) Math.ceil(0.99 * exact.length) - 1];
    StatsQuery day = new StatsQuery(from, from + 1440, 1440, StatsDimension.MODEL, Map.of(StatsDimension.MODEL, "gpt-4o"),
        StatsQuery.Timing.LATENCY);
    long merged = get(store.stats().query(day)).get(0).timing().p99();
    out.put("gpt4o_day_p99_ms", Map.of("exact", exactP99 / 1000.0, "from_stats", merged / 1000.0,
        "relative_error", round((merged - exactP99) / (double) exactP99 * 100) + "%"));

    System.out.println(json(out, ""));
    get(gateway.shutdown(Duration.ofSeconds(1)));
    get(vertx.close());
    if (work == null) {
      return; // a store the caller named: kept
    }
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static RequestSummary request(SplittableRandom r, double[] keyWeights, long now) {
    Object[] m = MODELS[pick(r, Arrays.stream(MODELS).mapToDouble(x -> (double) x[1]).toArray())];
    String name = (String) m[0];
    String[] targets = (String[]) m[3];
    String[] target = targets[r.nextInt(targets.length)].split("/");
    int key = pick(r, keyWeights);
    boolean embed = name.equals("embed");
    boolean stream = !embed && r.nextDouble() < 0.6;
    double median = (double) m[2];
    long latency = (long) (median * Math.exp(0.6 * gaussian(r)) * 1_000_000);
    long ttft = stream ? (long) (latency * (0.15 + 0.2 * r.nextDouble())) : -1;
    long overhead = (long) (400_000 * Math.exp(0.8 * gaussian(r)));
    boolean error = r.nextDouble() < 0.02;
    long in = embed ? 50 + r.nextInt(500) : 200 + r.nextInt(2_000);
    long out = embed ? 0 : 20 + r.nextInt(600);
    return new RequestSummary("r", now - latency / 1_000_000, embed ? "embeddings" : "chat", String.format("key-%03d", key),
        "id-" + key, "team-" + key % 10, name, target[0], target[1], error ? 503 : 200, error ? "upstream_error" : null,
        stream, false, latency, ttft, 0L, overhead, new TokenUsage(in, out, 0, 0, 0), in * 2 + out * 8, 1, null);
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

  /** Two warm-up runs, then ten timed: first (cold), median, min, max in ms. */
  static Map<String, Object> time(Supplier<Integer> call) {
    double[] runs = new double[12];
    int size = 0;
    for (int i = 0; i < runs.length; i++) {
      long t = System.nanoTime();
      size = call.get();
      runs[i] = (System.nanoTime() - t) / 1e6;
    }
    double cold = runs[0];
    double[] timed = Arrays.copyOfRange(runs, 2, runs.length);
    Arrays.sort(timed);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("first", round(cold));
    m.put("median", round((timed[4] + timed[5]) / 2));
    m.put("min", round(timed[0]));
    m.put("max", round(timed[timed.length - 1]));
    m.put("answer_size", size);
    return m;
  }

  static Map<String, Object> rowCounts(String url) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!url.startsWith("sqlite:")) {
      return m;
    }
    Path db = Path.of(url.substring("sqlite:".length()));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs = c.createStatement().executeQuery("SELECT grain, COUNT(*), SUM(LENGTH(latency)) FROM stats "
            + "GROUP BY grain ORDER BY 2")) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getLong(2) + " rows, latency histograms " + rs.getLong(3) / rs.getLong(2) + " B avg");
      }
    }
    m.put("file_mb", round(Files.size(db) / 1e6));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static <T> T get(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  static String json(Object o, String indent) {
    if (o instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(indent).append("  \"").append(e.getKey()).append("\": ").append(json(e.getValue(), indent + "  "))
            .append(++i < m.size() ? ",\n" : "\n");
      }
      return sb.append(indent).append("}").toString();
    }
    if (o instanceof String s) {
      return "\"" + s.replace("\"", "\\\"") + "\"";
    }
    return String.valueOf(o);
  }

  static final class MutableClock extends Clock {
    final AtomicLong millis = new AtomicLong();

    void set(Instant t) {
      millis.set(t.toEpochMilli());
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
