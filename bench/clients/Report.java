import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Turns the raw measurements of bench/run.sh into bench/results/latest.json, latest.md and
 * latest.png. Every comparison is a ratio of two arms measured in the same round (then the median
 * over rounds), so slow phases of a shared machine hit both sides of a ratio alike.
 *
 * <p>Usage: {@code java -cp sluice.jar:classes Report raw.jsonl meta.env resultsDir [workDir]}. The arms are
 * meta's {@code arms} (default the five fixed ones; {@code sluice-base} and {@code sluice-traced} when run.sh ran
 * them). With workDir, the GC logs {@code gc-<arm>.log} found there are summarised per phase window. A
 * {@code ledger-cost.json} in resultsDir (bench/ledger/run.sh) is folded in as {@code ledger}.
 */
public final class Report {
  static String[] ARMS = {"direct", "nginx", "vertx", "portkey", "sluice"};
  /** The Sluice arms whose ratios to the peers are computed (those present in ARMS). */
  static final List<String> SLUICE_ARMS = List.of("sluice", "sluice-base", "sluice-traced");
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) throws Exception {
    List<JsonNode> raw = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (!line.isBlank()) {
        raw.add(JSON.readTree(line));
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        meta.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    Path out = Path.of(args[2]);
    Path work = args.length > 3 ? Path.of(args[3]) : null;
    if (meta.containsKey("arms") && !meta.get("arms").isBlank()) {
      ARMS = meta.get("arms").trim().split("\\s+");
    }
    int rounds = Integer.parseInt(meta.getOrDefault("rounds", "3"));

    ObjectNode root = JSON.createObjectNode();
    root.put("date", meta.get("date"));
    ObjectNode machine = root.putObject("machine");
    for (String k : List.of("cpus", "cpu_model", "mem_total_mb", "kernel", "os", "load_before", "load_after", "steal_percent", "ulimit_n")) {
      machine.put(k, meta.get(k));
    }
    ObjectNode versions = root.putObject("versions");
    for (String k : List.of("sluice_commit", "java", "vertx", "nginx", "wrk", "node", "portkey", "hono_node_server")) {
      versions.put(k, meta.get(k));
    }
    ObjectNode setup = root.putObject("setup");
    for (String k : List.of("sluice_java_opts", "sluice_event_loops", "vertx_event_loops", "mock_java_opts", "nginx_proxy_workers",
        "nginx_upstream_workers", "rounds", "warmup_s", "tput_s", "tput_conn", "lat_s", "streams_per_round",
        "stream_fault", "hold_fault", "hold_levels", "hold_ramp_s", "hold_s", "limits_and_store", "load_seconds", "arms", "base_ref", "base_commit", "base_java_opts", "hold_upstream_sluice", "traced", "gc_log")) {
      if (meta.containsKey(k)) {
        setup.put(k, meta.get(k));
      }
    }

    // ---- per arm, per round --------------------------------------------------------------------
    Map<String, double[]> rps = perRound(raw, "throughput", rounds, n -> n.path("wrk").path("rps").asDouble());
    Map<String, double[]> cpu = perRound(raw, "throughput", rounds, n -> n.path("cpu_us_per_req").asDouble(Double.NaN));
    Map<String, double[]> tputErr = perRound(raw, "throughput", rounds, n -> (double) (n.path("wrk").path("err_status").asLong()
        + n.path("wrk").path("err_timeout").asLong() + n.path("wrk").path("err_connect").asLong()
        + n.path("wrk").path("err_read").asLong()));
    Map<String, double[]> rssTput = perRound(raw, "throughput", rounds, n -> n.path("rss_mb").asDouble());
    Map<String, double[]> p50 = perRound(raw, "latency", rounds, n -> n.path("wrk").path("lat_p50_us").asDouble() / 1000);
    Map<String, double[]> p99 = perRound(raw, "latency", rounds, n -> n.path("wrk").path("lat_p99_us").asDouble() / 1000);
    Map<String, double[]> ttftContent = perRound(raw, "stream", rounds, n -> n.path("probe").path("first_content_p50_ms").asDouble());
    Map<String, double[]> ttftEvent = perRound(raw, "stream", rounds, n -> n.path("probe").path("ttft_p50_ms").asDouble());
    Map<String, double[]> gapMean = perRound(raw, "stream", rounds, n -> n.path("probe").path("gap_mean_ms").asDouble());
    Map<String, double[]> gapP99 = perRound(raw, "stream", rounds, n -> n.path("probe").path("gap_p99_ms").asDouble());
    Map<String, double[]> gapMax = perRound(raw, "stream", rounds, n -> n.path("probe").path("gap_max_ms").asDouble());
    Map<String, double[]> glued = perRound(raw, "stream", rounds, n -> n.path("probe").path("glued_share").asDouble());
    Map<String, double[]> streamFail = perRound(raw, "stream", rounds, n -> n.path("probe").path("failures").asDouble());

    ObjectNode arms = root.putObject("arms");
    Map<String, Integer> maxStreams = new LinkedHashMap<>();
    Map<String, Double> rssAt5k = new LinkedHashMap<>();
    Map<String, Double> rssAtMax = new LinkedHashMap<>();
    for (String arm : ARMS) {
      ObjectNode a = arms.putObject(arm);
      series(a, "throughput_rps", rps.get(arm));
      series(a, "throughput_errors", tputErr.get(arm));
      series(a, "cpu_us_per_request", cpu.get(arm));
      series(a, "rss_mb_after_throughput", rssTput.get(arm));
      series(a, "latency_c1_p50_ms", p50.get(arm));
      series(a, "latency_c1_p99_ms", p99.get(arm));
      series(a, "stream_ttft_first_token_ms", ttftContent.get(arm));
      series(a, "stream_first_event_ms", ttftEvent.get(arm));
      series(a, "stream_gap_mean_ms", gapMean.get(arm));
      series(a, "stream_gap_p99_ms", gapP99.get(arm));
      series(a, "stream_gap_max_ms", gapMax.get(arm));
      series(a, "stream_glued_share", glued.get(arm));
      series(a, "stream_failures", streamFail.get(arm));
      for (JsonNode n : raw) {
        if (n.path("phase").asText().equals("rss_idle") && n.path("arm").asText().equals(arm)) {
          a.put("rss_idle_mb", n.path("rss_mb").asDouble());
        }
      }
      ArrayNode levels = a.putArray("concurrent_streams");
      int held = 0;
      double rss5k = Double.NaN;
      double rssMax = Double.NaN;
      for (JsonNode n : raw) {
        if (n.path("phase").asText().equals("concurrency") && n.path("arm").asText().equals(arm)) {
          JsonNode l = n.path("load");
          ObjectNode lv = levels.addObject();
          lv.put("level", n.path("level").asInt());
          lv.setAll((ObjectNode) l);
          if (l.path("success").asDouble() >= 0.999 && l.path("streams").asLong() > 0) {
            if (n.path("level").asInt() > held) {
              held = n.path("level").asInt();
              rssMax = l.path("rss_max_mb").asDouble();
            }
            if (n.path("level").asInt() == 5000) {
              rss5k = l.path("rss_max_mb").asDouble();
            }
          }
        }
      }
      a.put("max_concurrent_streams_99_9", held);
      a.put("rss_mb_at_5000_streams", rss5k);
      a.put("rss_mb_at_max_streams", rssMax);
      maxStreams.put(arm, held);
      rssAt5k.put(arm, rss5k);
      rssAtMax.put(arm, rssMax);
    }

    // ---- ratios (same round) --------------------------------------------------------------------
    ObjectNode ratios = root.putObject("ratios");
    ratio(ratios, "throughput_sluice_over_nginx", rps.get("sluice"), rps.get("nginx"));
    ratio(ratios, "throughput_sluice_over_portkey", rps.get("sluice"), rps.get("portkey"));
    ratio(ratios, "throughput_nginx_over_direct", rps.get("nginx"), rps.get("direct"));
    ratio(ratios, "cpu_per_request_sluice_over_nginx", cpu.get("sluice"), cpu.get("nginx"));
    ratio(ratios, "cpu_per_request_sluice_over_portkey", cpu.get("sluice"), cpu.get("portkey"));
    ratio(ratios, "latency_p50_sluice_over_nginx", p50.get("sluice"), p50.get("nginx"));
    ratio(ratios, "latency_p50_sluice_over_portkey", p50.get("sluice"), p50.get("portkey"));
    ratio(ratios, "latency_p99_sluice_over_nginx", p99.get("sluice"), p99.get("nginx"));
    ratio(ratios, "latency_p99_sluice_over_portkey", p99.get("sluice"), p99.get("portkey"));
    double[] addS = minus(ttftContent.get("sluice"), ttftContent.get("direct"));
    double[] addN = minus(ttftContent.get("nginx"), ttftContent.get("direct"));
    double[] addP = minus(ttftContent.get("portkey"), ttftContent.get("direct"));
    series(ratios, "added_ttft_ms_sluice", addS);
    series(ratios, "added_ttft_ms_nginx", addN);
    series(ratios, "added_ttft_ms_portkey", addP);
    ratio(ratios, "added_ttft_sluice_over_nginx", addS, addN);
    ratio(ratios, "added_ttft_sluice_over_portkey", addS, addP);
    double[] addSe = minus(ttftEvent.get("sluice"), ttftEvent.get("direct"));
    double[] addNe = minus(ttftEvent.get("nginx"), ttftEvent.get("direct"));
    double[] addPe = minus(ttftEvent.get("portkey"), ttftEvent.get("direct"));
    series(ratios, "added_first_event_ms_sluice", addSe);
    series(ratios, "added_first_event_ms_nginx", addNe);
    series(ratios, "added_first_event_ms_portkey", addPe);
    ratio(ratios, "added_first_event_sluice_over_nginx", addSe, addNe);
    // The stack's floor: Sluice over the plain Vert.x proxy (its own pipeline), the plain Vert.x proxy over
    // nginx (JVM + Netty + Vert.x HTTP). The two multiply to Sluice over nginx, round by round.
    ratio(ratios, "throughput_sluice_over_vertx", rps.get("sluice"), rps.get("vertx"));
    ratio(ratios, "throughput_vertx_over_nginx", rps.get("vertx"), rps.get("nginx"));
    ratio(ratios, "cpu_per_request_sluice_over_vertx", cpu.get("sluice"), cpu.get("vertx"));
    ratio(ratios, "cpu_per_request_vertx_over_nginx", cpu.get("vertx"), cpu.get("nginx"));
    ratio(ratios, "latency_p50_sluice_over_vertx", p50.get("sluice"), p50.get("vertx"));
    ratio(ratios, "latency_p50_vertx_over_nginx", p50.get("vertx"), p50.get("nginx"));
    ratio(ratios, "latency_p99_sluice_over_vertx", p99.get("sluice"), p99.get("vertx"));
    ratio(ratios, "latency_p99_vertx_over_nginx", p99.get("vertx"), p99.get("nginx"));
    double[] addV = minus(ttftContent.get("vertx"), ttftContent.get("direct"));
    double[] addVe = minus(ttftEvent.get("vertx"), ttftEvent.get("direct"));
    series(ratios, "added_ttft_ms_vertx", addV);
    series(ratios, "added_first_event_ms_vertx", addVe);
    ratio(ratios, "added_ttft_sluice_over_vertx", addS, addV);
    ratio(ratios, "added_ttft_vertx_over_nginx", addV, addN);
    // The other Sluice arms (sluice-base: BASE_REF built and run alongside; sluice-traced: tracing on) against
    // the peers, named as Sluice's own ratios, then the A/B of this build against the base and the tracing cost.
    for (String s : SLUICE_ARMS) {
      if (s.equals("sluice") || !rps.containsKey(s)) {
        continue;
      }
      for (String peer : List.of("nginx", "portkey", "vertx")) {
        ratio(ratios, "throughput_" + s + "_over_" + peer, rps.get(s), rps.get(peer));
        ratio(ratios, "cpu_per_request_" + s + "_over_" + peer, cpu.get(s), cpu.get(peer));
        ratio(ratios, "latency_p50_" + s + "_over_" + peer, p50.get(s), p50.get(peer));
        ratio(ratios, "latency_p99_" + s + "_over_" + peer, p99.get(s), p99.get(peer));
      }
      if (!s.equals("sluice-traced")) {
        series(ratios, "added_ttft_ms_" + s, minus(ttftContent.get(s), ttftContent.get("direct")));
      }
      String num = s.equals("sluice-base") ? "sluice" : s;
      String den = s.equals("sluice-base") ? s : "sluice";
      ratio(ratios, "throughput_" + num + "_over_" + den, rps.get(num), rps.get(den));
      ratio(ratios, "cpu_per_request_" + num + "_over_" + den, cpu.get(num), cpu.get(den));
      ratio(ratios, "latency_p50_" + num + "_over_" + den, p50.get(num), p50.get(den));
      ratio(ratios, "latency_p99_" + num + "_over_" + den, p99.get(num), p99.get(den));
    }
    ratios.put("max_streams_sluice_over_nginx", maxStreams.get("sluice") / (double) Math.max(1, maxStreams.get("nginx")));
    ratios.put("max_streams_sluice_over_portkey", maxStreams.get("sluice") / (double) Math.max(1, maxStreams.get("portkey")));

    // ---- ledger (bench/ledger/run.sh) and GC logs ------------------------------------------------
    root.set("ledger", ledger(out.resolve("ledger-cost.json")));
    ObjectNode gc = root.putObject("gc");
    if (work != null) {
      GcLog.summarise(raw, work, ARMS, gc);
      Files.writeString(out.resolve("gc-summary.txt"), GcLog.text(gc, meta));
    }

    // ---- targets (issue 19) -----------------------------------------------------------------------
    Targets.evaluate(root, "sluice", root.putArray("targets"));
    ObjectNode byArm = root.putObject("targets_by_arm");
    for (String s : SLUICE_ARMS) {
      if (!s.equals("sluice") && rps.containsKey(s)) {
        Targets.evaluate(root, s, byArm.putArray(s));
      }
    }

    // ---- JMH ------------------------------------------------------------------------------------
    Path jmhFile = out.resolve("jmh.json");
    ArrayNode jmh = root.putArray("jmh");
    if (Files.exists(jmhFile)) {
      for (JsonNode b : JSON.readTree(jmhFile.toFile())) {
        ObjectNode j = jmh.addObject();
        String name = b.path("benchmark").asText();
        j.put("benchmark", name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
        j.put("score", b.path("primaryMetric").path("score").asDouble());
        j.put("error", b.path("primaryMetric").path("scoreError").asDouble());
        j.put("unit", b.path("primaryMetric").path("scoreUnit").asText());
        JsonNode sec = b.path("secondaryMetrics");
        JsonNode norm = sec.has("gc.alloc.rate.norm") ? sec.path("gc.alloc.rate.norm") : sec.path("·gc.alloc.rate.norm");
        j.put("alloc_bytes_per_op", norm.path("score").asDouble(Double.NaN));
      }
    }

    JSON.writeValue(out.resolve("latest.json").toFile(), root);
    Files.writeString(out.resolve("latest.md"), markdown(root, meta));
    chart(root, out.resolve("latest.png"));
  }

  // ---------------------------------------------------------------------------------------------

  static Map<String, double[]> perRound(List<JsonNode> raw, String phase, int rounds, Function<JsonNode, Double> f) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (String arm : ARMS) {
      double[] v = new double[rounds];
      Arrays.fill(v, Double.NaN);
      m.put(arm, v);
    }
    for (JsonNode n : raw) {
      if (n.path("phase").asText().equals(phase)) {
        int r = n.path("round").asInt() - 1;
        double[] v = m.get(n.path("arm").asText());
        if (v != null && r >= 0 && r < rounds) {
          v[r] = f.apply(n);
        }
      }
    }
    return m;
  }

  static double[] ratioRounds(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }

  static double[] minus(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] - b[i];
    }
    return r;
  }

  static double median(double[] v) {
    double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x) && !Double.isInfinite(x)).sorted().toArray();
    if (s.length == 0) {
      return Double.NaN;
    }
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static void series(ObjectNode parent, String name, double[] v) {
    ObjectNode o = parent.putObject(name);
    o.put("median", round(median(v)));
    ArrayNode a = o.putArray("rounds");
    for (double x : v) {
      a.add(round(x));
    }
  }

  static void ratio(ObjectNode parent, String name, double[] a, double[] b) {
    series(parent, name, ratioRounds(a, b));
  }

  static double round(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    double mag = Math.abs(x) >= 100 ? 10 : Math.abs(x) >= 1 ? 1000 : 100000;
    return Math.round(x * mag) / mag;
  }

  /**
   * bench/results/ledger-cost.json as written by bench/ledger/run.sh, read tolerantly: an object per store
   * engine ({@code sqlite}, {@code postgresql}) with {@code cpu_us_per_ledger_row} (alias {@code cpu_us_per_row})
   * and optionally {@code cpu_us_per_request}; or LedgerCost's own report shape, {@code arms: {"sqlite/new":
   * {writer_cpu_us_per_row_median, writer_cpu_us_per_request_median, ...}, "pg/new": ..., "sqlite/base": ...}},
   * whose writer-thread medians are lifted into that shape (base arms as {@code base_cpu_us_per_ledger_row}).
   * Anything else in it is kept as it is. Absent or unreadable: an empty object (the ledger target then reads
   * "not measured in this run").
   */
  static ObjectNode ledger(Path file) {
    ObjectNode l = JSON.createObjectNode();
    if (!Files.exists(file)) {
      return l;
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (n instanceof ObjectNode o) {
        l.setAll(o);
        l.remove("runs"); // LedgerCost's raw per-run lines: in its own file, not needed here
        for (Map.Entry<String, JsonNode> arm : (Iterable<Map.Entry<String, JsonNode>>) o.path("arms")::fields) {
          String[] engineLabel = arm.getKey().split("/", 2);
          String engine = engineLabel[0].equals("pg") ? "postgresql" : engineLabel[0];
          if (!List.of("sqlite", "postgresql").contains(engine) || o.has(engine)) {
            continue;
          }
          ObjectNode e = l.has(engine) ? (ObjectNode) l.get(engine) : l.putObject(engine);
          String prefix = engineLabel.length > 1 && engineLabel[1].equals("base") ? "base_" : "";
          JsonNode a = arm.getValue();
          String row = a.has("writer_cpu_us_per_row_median") ? "writer_cpu_us_per_row_median" : "store_cpu_us_per_row_median";
          if (a.has(row)) {
            e.set(prefix + "cpu_us_per_ledger_row", a.get(row));
            e.put(prefix + "figure", row.replace("_median", ""));
          }
          String req = a.has("writer_cpu_us_per_request_median") ? "writer_cpu_us_per_request_median"
              : "store_cpu_us_per_request_median";
          if (a.has(req)) {
            e.set(prefix + "cpu_us_per_request", a.get(req));
          }
        }
        if (!l.has("date") && l.has("note")) {
          l.set("date", l.get("note"));
        }
        for (String engine : List.of("sqlite", "postgresql")) {
          if (l.path(engine) instanceof ObjectNode e && !e.has("cpu_us_per_ledger_row") && e.has("cpu_us_per_row")) {
            e.set("cpu_us_per_ledger_row", e.get("cpu_us_per_row"));
          }
        }
        l.put("source", file.getFileName().toString());
      }
    } catch (IOException | RuntimeException e) {
      l.put("error", "unreadable " + file.getFileName() + ": " + e.getMessage());
    }
    return l;
  }

  // ---- markdown ----------------------------------------------------------------------------------

  static String markdown(JsonNode r, Map<String, String> meta) {
    StringBuilder md = new StringBuilder();
    JsonNode arms = r.path("arms");
    JsonNode ra = r.path("ratios");
    md.append("# Sluice vs nginx vs Portkey — ").append(r.path("date").asText()).append("\n\n");
    md.append("Generated by `bench/run.sh` (raw figures: `latest.json`). One machine, all arms in the same run, ")
        .append("interleaved over ").append(meta.get("rounds")).append(" rounds (order rotated each round); every ratio is ")
        .append("taken between two arms **of the same round**, then the median over rounds is shown with the per-round ")
        .append("values in brackets. The machine was shared with other work while this ran (load average ")
        .append(meta.get("load_before")).append(" before, ").append(meta.get("load_after"))
        .append(" after").append(meta.get("steal_percent") == null ? ""
            : "; " + meta.get("steal_percent") + " % of the CPU taken by other guests of the host while the arms ran")
        .append("): absolute numbers are noisy, ratios less so.\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| machine | ").append(meta.get("cpus")).append(" × ").append(meta.get("cpu_model")).append(", ")
        .append(meta.get("mem_total_mb")).append(" MB, ").append(meta.get("os")).append(", Linux ").append(meta.get("kernel")).append(" |\n");
    md.append("| Sluice | commit `").append(meta.get("sluice_commit")).append("`, ").append(meta.get("java"))
        .append(", JVM flags `").append(meta.get("sluice_java_opts")).append("`, ").append(meta.get("sluice_event_loops"))
        .append(" HTTP event loops |\n");
    md.append("| Sluice pipeline | key auth; rate limits (rpm, tpm with prompt estimates, concurrency) on the key, its team and ")
        .append("the model entry, set above the load so they are reserved and settled on every request but never refuse; a hard ")
        .append("budget on the key (worst-case hold, settled on real cost); model entry with weighted targets (3:1 over two ")
        .append("providers); default reliability layer (retries + budgets, breakers, adaptive concurrency); the cost ledger ")
        .append("(one SQLite row per attempt); Prometheus metrics (`conf/sluice-bench.yaml`) |\n");
    md.append("| nginx | ").append(meta.get("nginx")).append(", proxy with ").append(meta.get("nginx_proxy_workers"))
        .append(" workers, keep-alive upstream pool, `proxy_buffering off` for streams |\n");
    md.append("| vertx | the floor of Sluice's stack: `clients/PlainVertxProxy.java`, a plain Vert.x ").append(meta.get("vertx"))
        .append(" reverse proxy with no gateway feature, ").append(meta.get("vertx_event_loops"))
        .append(" server verticles on one port, one keep-alive upstream pool per event loop, bodies piped both ways; ")
        .append("same JVM and flags as Sluice |\n");
    md.append("| Portkey | @portkey-ai/gateway ").append(meta.get("portkey")).append(" on Node ").append(meta.get("node"))
        .append(" (one process, as shipped), `@hono/node-server` ").append(meta.get("hono_node_server"))
        .append(", provider `openai` + `x-portkey-custom-host` |\n");
    md.append("| load | wrk ").append(meta.get("wrk")).append(": throughput ").append(meta.get("tput_conn"))
        .append(" connections × ").append(meta.get("tput_s")).append(" s per round; latency 1 connection × ")
        .append(meta.get("lat_s")).append(" s per round; after ").append(meta.get("warmup_s")).append(" s warm-up per arm |\n");
    md.append("| upstreams | canned: nginx `return 200` chat completion (").append(meta.get("nginx_upstream_workers"))
        .append(" worker); streams: Sluice mock-upstream `").append(meta.get("stream_fault"))
        .append("` = role chunk, ").append(streamDeltas(meta.get("stream_fault")))
        .append(" content deltas, finish, [DONE]; concurrent streams: `").append(meta.get("hold_fault"))
        .append("` (≈ 8 s per stream)")
        .append(String.valueOf(meta.get("hold_upstream_sluice")).startsWith("https")
            ? ", reached by the Sluice arms over HTTPS (HTTP/2 by ALPN, a second mock with a certificate made for the run) and by the others over HTTP/1.1"
            : "")
        .append(" |\n");

    if (meta.containsKey("base_ref")) {
      md.append("| sluice-base | `BASE_REF=").append(meta.get("base_ref")).append("` (commit `").append(meta.get("base_commit"))
          .append("`), built once and run with the same config")
          .append(sameFlags(meta) ? " and JVM flags" : " and its own JVM flags `" + meta.get("base_java_opts") + "`")
          .append(", interleaved with the others in every round |\n");
    }
    if ("1".equals(meta.get("traced"))) {
      md.append("| sluice-traced | this build with tracing on: every request traced (`sample_ratio: 1.0`) and exported over ")
          .append("OTLP/HTTP to a local receiver that accepts and discards (`clients/OtlpSink.java`); throughput and c=1 only |\n");
    }
    md.append("\n## Targets (issue 19)\n\n").append(ReadmeTable.table(r));
    abSection(md, r);
    md.append(GcLog.markdown(r.path("gc")));
    ledgerSection(md, r.path("ledger"));
    md.append("\n## Measured (median over rounds)\n\n| measure | ");
    for (String a : ARMS) {
      md.append(label(a)).append(" | ");
    }
    md.append("Sluice / nginx | Sluice / Portkey |\n|").append("---|".repeat(ARMS.length + 3)).append('\n');
    row(md, arms, ra, "throughput (req/s, c=64)", "throughput_rps", "throughput_sluice_over_nginx", "throughput_sluice_over_portkey");
    row(md, arms, ra, "gateway CPU per request (µs)", "cpu_us_per_request", "cpu_per_request_sluice_over_nginx", "cpu_per_request_sluice_over_portkey");
    row(md, arms, ra, "latency c=1 p50 (ms)", "latency_c1_p50_ms", "latency_p50_sluice_over_nginx", "latency_p50_sluice_over_portkey");
    row(md, arms, ra, "latency c=1 p99 (ms)", "latency_c1_p99_ms", "latency_p99_sluice_over_nginx", "latency_p99_sluice_over_portkey");
    row(md, arms, ra, "stream: time to first token (ms)", "stream_ttft_first_token_ms", null, null);
    md.append("| stream: **added** time to first token (ms, arm − direct) | — | ");
    for (String a : ARMS) {
      if (!a.equals("direct")) {
        md.append(med(ra, "added_ttft_ms_" + a)).append(" | ");
      }
    }
    md.append(ra.path("added_ttft_ms_nginx").path("median").asDouble() < 0.1
            ? "n/a: nginx adds < 0.1 ms" : med(ra, "added_ttft_sluice_over_nginx")).append(" | ")
        .append(med(ra, "added_ttft_sluice_over_portkey")).append(" |\n");
    row(md, arms, ra, "stream: time to first event (ms)", "stream_first_event_ms", null, null);
    md.append("| stream: **added** time to first event (ms) | — | ");
    for (String a : ARMS) {
      if (!a.equals("direct")) {
        md.append(med(ra, "added_first_event_ms_" + a)).append(" | ");
      }
    }
    md.append(ra.path("added_first_event_ms_nginx").path("median").asDouble() < 0.1
            ? "n/a: nginx adds < 0.1 ms" : med(ra, "added_first_event_sluice_over_nginx")).append(" | |\n");
    row(md, arms, ra, "stream: gap between events, mean (ms)", "stream_gap_mean_ms", null, null);
    row(md, arms, ra, "stream: gap between events, p99 (ms)", "stream_gap_p99_ms", null, null);
    row(md, arms, ra, "stream: gap between events, max (ms)", "stream_gap_max_ms", null, null);
    row(md, arms, ra, "stream: events glued to the previous (<1 ms)", "stream_glued_share", null, null);
    md.append("| concurrent streams held at ≥ 99.9% success (≥: passed the highest level tried) | ");
    int top = Arrays.stream(meta.getOrDefault("hold_levels", "0").trim().split("\\s+")).mapToInt(Integer::parseInt).max().orElse(0);
    for (String a : ARMS) {
      int held = arms.path(a).path("max_concurrent_streams_99_9").asInt();
      md.append(arms.path(a).path("concurrent_streams").size() == 0 ? "n/a" : (held == top ? "≥ " : "") + held).append(" | ");
    }
    md.append(fmt(ra.path("max_streams_sluice_over_nginx").asDouble())).append(" | ")
        .append(fmt(ra.path("max_streams_sluice_over_portkey").asDouble())).append(" |\n");
    md.append("| VmRSS idle after warm-up (MB) | ");
    for (String a : ARMS) {
      md.append(fmt(arms.path(a).path("rss_idle_mb").asDouble())).append(" | ");
    }
    md.append(" | |\n| VmRSS at 5,000 streams (MB) | ");
    for (String a : ARMS) {
      md.append(fmt(arms.path(a).path("rss_mb_at_5000_streams").asDouble())).append(" | ");
    }
    md.append(" | |\n| VmRSS at the most streams held (MB) | ");
    for (String a : ARMS) {
      md.append(fmt(arms.path(a).path("rss_mb_at_max_streams").asDouble())).append(" | ");
    }
    md.append(" | |\n\n");
    md.append("\"direct\" is the client talking to the upstream itself: the baseline every arm's added cost is measured ")
        .append("against. \"Gateway CPU per request\" is user+system CPU of the gateway's processes (nginx: master + workers) ")
        .append("during a throughput round divided by the requests served. RSS is VmRSS summed over the gateway's processes ")
        .append("(for direct: the mock upstream). Time to first token = first content delta; time to first event = first SSE ")
        .append("event of any kind (the role chunk). \"Glued\" events arrived within 1 ms of the previous one (the upstream ")
        .append("spaces them by its chunk delay), which is what a relay that batches writes would show.\n\n");
    stackFloor(md, arms, ra);

    md.append("### Concurrent streams, every level\n\nA stream takes ≈ 8.06 s at the upstream (60 ms, then 32 events 250 ms apart); ")
        .append("its duration at the client shows how much the relay stretched it. \"open\" is the number of streams open at ")
        .append("the client, sampled every 250 ms from 1 s after the ramp to the end of the hold.\n\n")
        .append("| arm | level | streams | success | open (min / mean) | duration p50 / p99 (s) | failures | VmRSS max (MB) |\n|---|---|---|---|---|---|---|---|\n");
    for (String a : ARMS) {
      for (JsonNode l : arms.path(a).path("concurrent_streams")) {
        md.append("| ").append(a).append(" | ").append(l.path("level").asInt()).append(" | ").append(l.path("streams").asLong())
            .append(" | ").append(String.format(Locale.ROOT, "%.4f", l.path("success").asDouble())).append(" | ")
            .append(l.path("open_min").asInt()).append(" / ").append(l.path("open_mean").asInt()).append(" | ")
            .append(fmt(l.path("dur_p50_s").asDouble(Double.NaN))).append(" / ").append(fmt(l.path("dur_p99_s").asDouble(Double.NaN)))
            .append(" | ").append(l.path("failures").toString().replace("|", "/")).append(" | ").append(fmt(l.path("rss_max_mb").asDouble()))
            .append(" |\n");
      }
    }
    md.append("\n");

    if (r.path("jmh").size() > 0) {
      md.append("## JMH microbenchmarks\n\n1 fork, 3 × 1 s warm-up, 3 × 2 s measurement, `-prof gc` (raw: `jmh.json`). ")
          .append("Stream benchmarks are per SSE event (a 64-delta answer fed one event-sized buffer at a time).\n\n")
          .append("| benchmark | time per op | ± | allocated per op |\n|---|---|---|---|\n");
      for (JsonNode j : r.path("jmh")) {
        md.append("| ").append(j.path("benchmark").asText()).append(" | ").append(fmt(j.path("score").asDouble())).append(' ')
            .append(j.path("unit").asText()).append(" | ").append(fmt(j.path("error").asDouble())).append(" | ")
            .append(fmt(j.path("alloc_bytes_per_op").asDouble())).append(" B |\n");
      }
      md.append("\n");
    }
    md.append("Profiles of Sluice in this run (JFR): `profile-throughput.txt`, `profile-streams.txt`; memory at 5,000 ")
        .append("streams: `sluice-memory-5000-streams.txt`.\n\n![chart](latest.png)\n");
    return md.toString();
  }

  /**
   * Sluice over the plain Vert.x proxy (what Sluice's own pipeline costs) and the plain Vert.x proxy
   * over nginx (what the stack costs): Sluice / nginx = (Sluice / vertx) × (vertx / nginx).
   */
  static void stackFloor(StringBuilder md, JsonNode arms, JsonNode ra) {
    md.append("### Stack floor: Sluice's pipeline vs its stack\n\n")
        .append("\"vertx\" is a plain Vert.x reverse proxy on the same JVM, flags and cores as Sluice, with no gateway ")
        .append("feature: what Sluice's stack (JVM + Netty + Vert.x HTTP) costs with nothing on top. Sluice / vertx is what Sluice's own ")
        .append("pipeline costs on top of it; vertx / nginx is what the stack costs against nginx. The two multiply to ")
        .append("Sluice / nginx (round by round).\n\n")
        .append("| measure | nginx | vertx | Sluice | Sluice / vertx (pipeline) | vertx / nginx (stack) |\n|---|---|---|---|---|---|\n");
    String[][] rows = {
        {"throughput (req/s, c=64)", "throughput_rps", "throughput"},
        {"gateway CPU per request (µs)", "cpu_us_per_request", "cpu_per_request"},
        {"latency c=1 p50 (ms)", "latency_c1_p50_ms", "latency_p50"},
        {"latency c=1 p99 (ms)", "latency_c1_p99_ms", "latency_p99"}};
    for (String[] r : rows) {
      md.append("| ").append(r[0]).append(" | ");
      for (String a : new String[] {"nginx", "vertx", "sluice"}) {
        md.append(fmt(arms.path(a).path(r[1]).path("median").asDouble())).append(" | ");
      }
      md.append(med(ra, r[2] + "_sluice_over_vertx")).append(" | ").append(med(ra, r[2] + "_vertx_over_nginx")).append(" |\n");
    }
    // An added TTFT within 0.1 ms of direct is noise: a ratio over it means nothing.
    double addV = ra.path("added_ttft_ms_vertx").path("median").asDouble();
    double addN = ra.path("added_ttft_ms_nginx").path("median").asDouble();
    md.append("| stream: added time to first token (ms) | ").append(fmt(addN)).append(" | ").append(fmt(addV)).append(" | ")
        .append(fmt(ra.path("added_ttft_ms_sluice").path("median").asDouble())).append(" | ")
        .append(addV < 0.1 ? "n/a: vertx adds < 0.1 ms" : med(ra, "added_ttft_sluice_over_vertx")).append(" | ")
        .append(addN < 0.1 ? "n/a: nginx adds < 0.1 ms" : med(ra, "added_ttft_vertx_over_nginx")).append(" |\n\n");
  }

  /** Whether sluice-base ran with Sluice's own JVM flags (no BASE_JAVA_OPTS of its own). */
  static boolean sameFlags(Map<String, String> meta) {
    String base = meta.get("base_java_opts");
    return base == null || base.equals(meta.get("sluice_java_opts"));
  }

  static boolean sameFlags(JsonNode setup) {
    return !setup.has("base_java_opts") || setup.path("base_java_opts").asText().equals(setup.path("sluice_java_opts").asText());
  }

  /** Content deltas of the probe's stream: the mock echoes the probe's 11 prompt words, then {@code words=} filler. */
  static String streamDeltas(String fault) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("words=(\\d+)").matcher(fault == null ? "" : fault);
    return m.find() ? Integer.toString(11 + Integer.parseInt(m.group(1))) : "11";
  }

  static String label(String arm) {
    return switch (arm) {
      case "portkey" -> "Portkey";
      case "sluice" -> "Sluice";
      default -> arm;
    };
  }

  /** This build against sluice-base (A/B, same rounds) and against itself with tracing on. */
  static void abSection(StringBuilder md, JsonNode r) {
    JsonNode ra = r.path("ratios");
    JsonNode arms = r.path("arms");
    String[][] rows = {
        {"throughput (req/s, c=64)", "throughput_rps", "throughput"},
        {"gateway CPU per request (µs)", "cpu_us_per_request", "cpu_per_request"},
        {"latency c=1 p50 (ms)", "latency_c1_p50_ms", "latency_p50"},
        {"latency c=1 p99 (ms)", "latency_c1_p99_ms", "latency_p99"}};
    if (arms.has("sluice-base")) {
      md.append("\n## A/B: this build vs sluice-base (`").append(r.path("setup").path("base_ref").asText()).append("`)\n\n")
          .append("Both builds in every round, same config")
          .append(sameFlags(r.path("setup")) ? " and JVM flags" : ", each with its JVM flags (sluice-base: `"
              + r.path("setup").path("base_java_opts").asText() + "`)")
          .append("; ratios of the same round, median [per round].\n\n")
          .append("| measure | sluice-base | Sluice | Sluice / sluice-base |\n|---|---|---|---|\n");
      for (String[] x : rows) {
        md.append("| ").append(x[0]).append(" | ").append(fmt(Targets.num(arms.path("sluice-base").path(x[1]).path("median"))))
            .append(" | ").append(fmt(Targets.num(arms.path("sluice").path(x[1]).path("median")))).append(" | ")
            .append(med(ra, x[2] + "_sluice_over_sluice-base")).append(" |\n");
      }
      md.append("| stream: added time to first token (ms) | ").append(med(ra, "added_ttft_ms_sluice-base")).append(" | ")
          .append(med(ra, "added_ttft_ms_sluice")).append(" | |\n");
      for (String[] x : new String[][] {{"concurrent streams held at ≥ 99.9%", "max_concurrent_streams_99_9"},
          {"VmRSS idle (MB)", "rss_idle_mb"}, {"VmRSS at 5,000 streams (MB)", "rss_mb_at_5000_streams"}}) {
        md.append("| ").append(x[0]).append(" | ").append(fmt(Targets.num(arms.path("sluice-base").path(x[1])))).append(" | ")
            .append(fmt(Targets.num(arms.path("sluice").path(x[1])))).append(" | |\n");
      }
    }
    if (arms.has("sluice-traced")) {
      md.append("\n## Tracing on: sluice-traced vs Sluice\n\n")
          .append("| measure | Sluice | sluice-traced | sluice-traced / Sluice |\n|---|---|---|---|\n");
      for (String[] x : rows) {
        md.append("| ").append(x[0]).append(" | ").append(fmt(Targets.num(arms.path("sluice").path(x[1]).path("median"))))
            .append(" | ").append(fmt(Targets.num(arms.path("sluice-traced").path(x[1]).path("median")))).append(" | ")
            .append(med(ra, x[2] + "_sluice-traced_over_sluice")).append(" |\n");
      }
    }
  }

  static void ledgerSection(StringBuilder md, JsonNode l) {
    md.append("\n## Ledger cost (`bench/ledger/run.sh` → `ledger-cost.json`)\n\n");
    if (!l.has("sqlite") && !l.has("postgresql")) {
      md.append(l.has("error") ? l.path("error").asText() : "Not measured in this run (no `ledger-cost.json`).").append("\n");
      return;
    }
    md.append("| store | CPU per ledger row (µs) | CPU per request (µs) | base build: per row (µs) | figure |\n")
        .append("|---|---|---|---|---|\n");
    for (String e : List.of("sqlite", "postgresql")) {
      JsonNode x = l.path(e);
      md.append("| ").append(e).append(" | ").append(x.isMissingNode() ? "not measured"
              : fmt(Targets.num(x.path("cpu_us_per_ledger_row")))).append(" | ")
          .append(x.isMissingNode() ? "" : fmt(Targets.num(x.path("cpu_us_per_request")))).append(" | ")
          .append(x.has("base_cpu_us_per_ledger_row") ? fmt(Targets.num(x.path("base_cpu_us_per_ledger_row"))) : "")
          .append(" | ").append(x.path("figure").asText("")).append(" |\n");
    }
    if (l.has("date")) {
      md.append("\nMeasured ").append(l.path("date").asText()).append(".\n");
    }
  }

  static void row(StringBuilder md, JsonNode arms, JsonNode ra, String title, String key, String rN, String rP) {
    md.append("| ").append(title).append(" | ");
    for (String a : ARMS) {
      md.append(fmt(Targets.num(arms.path(a).path(key).path("median")))).append(" | ");
    }
    md.append(rN == null ? "" : med(ra, rN)).append(" | ").append(rP == null ? "" : med(ra, rP)).append(" |\n");
  }

  static String med(JsonNode ra, String key) {
    JsonNode s = ra.path(key);
    if (!s.has("median")) {
      return "n/a";
    }
    StringBuilder b = new StringBuilder(fmt(Targets.num(s.path("median"))));
    b.append(" [");
    int i = 0;
    for (JsonNode x : s.path("rounds")) {
      b.append(i++ > 0 ? ", " : "").append(fmt(x.asDouble()));
    }
    return b.append(']').toString();
  }

  static String fmt(double x) {
    if (Double.isNaN(x)) {
      return "n/a";
    }
    if (Double.isInfinite(x)) {
      return "∞";
    }
    double a = Math.abs(x);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", x);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", x);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", x);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", x);
    }
    return String.format(Locale.ROOT, "%.3f", x);
  }

  // ---- chart ---------------------------------------------------------------------------------------

  static final Map<String, Color> ARM_COLORS = Map.of("direct", new Color(0x9e9e9e), "nginx", new Color(0x43a047),
      "vertx", new Color(0xfb8c00), "portkey", new Color(0x8e24aa), "sluice", new Color(0x1e88e5),
      "sluice-base", new Color(0x90caf9), "sluice-traced", new Color(0x0d47a1));
  static Color[] COLORS;
  static String[] LABELS;

  static void chart(JsonNode r, Path file) throws IOException {
    COLORS = Arrays.stream(ARMS).map(a -> ARM_COLORS.getOrDefault(a, Color.GRAY)).toArray(Color[]::new);
    LABELS = Arrays.stream(ARMS).map(a -> label(a).replace("sluice-", "")).toArray(String[]::new); // "base", "traced": short under a bar
    int w = 1500;
    int h = 900;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
    g.drawString("Sluice vs nginx vs plain Vert.x vs Portkey — " + r.path("date").asText() + " — "
        + r.path("machine").path("cpus").asText() + " cores (shared), medians over rounds", 20, 32);
    JsonNode arms = r.path("arms");
    JsonNode ra = r.path("ratios");
    int pw = 470;
    int ph = 390;
    double[] tput = vals(arms, "throughput_rps");
    panel(g, 20, 50, pw, ph, "Throughput, c=64 (req/s)", LABELS, tput, COLORS, "%,.0f");
    double[][] lat = {vals(arms, "latency_c1_p50_ms"), vals(arms, "latency_c1_p99_ms")};
    grouped(g, 510, 50, pw, ph, "Latency at c=1 (ms): p50 | p99", LABELS, lat, "%.2f");
    double[] added = new double[ARMS.length];
    for (int i = 1; i < ARMS.length; i++) {
      added[i] = Targets.num(ra.path("added_ttft_ms_" + ARMS[i]).path("median"));
    }
    panel(g, 1000, 50, pw, ph, "Stream: added time to first token (ms)", LABELS, added, COLORS, "%.2f");
    double[][] gaps = {vals(arms, "stream_gap_mean_ms"), vals(arms, "stream_gap_max_ms")};
    grouped(g, 20, 480, pw, ph, "Stream: gap between events (ms): mean | max", LABELS, gaps, "%.1f");
    double[] held = new double[ARMS.length];
    for (int i = 0; i < ARMS.length; i++) {
      held[i] = arms.path(ARMS[i]).path("max_concurrent_streams_99_9").asDouble();
    }
    panel(g, 510, 480, pw, ph, "Concurrent streams held at >= 99.9% success", LABELS, held, COLORS, "%,.0f");
    double[][] rss = new double[2][ARMS.length];
    for (int i = 0; i < ARMS.length; i++) {
      rss[0][i] = arms.path(ARMS[i]).path("rss_idle_mb").asDouble();
      double at = arms.path(ARMS[i]).path("rss_mb_at_max_streams").asDouble();
      rss[1][i] = Double.isNaN(at) ? 0 : at;
    }
    grouped(g, 1000, 480, pw, ph, "Resident memory (MB): idle | at most streams held", LABELS, rss, "%.0f");
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  static double[] vals(JsonNode arms, String key) {
    double[] v = new double[ARMS.length];
    for (int i = 0; i < ARMS.length; i++) {
      v[i] = Targets.num(arms.path(ARMS[i]).path(key).path("median"));
    }
    return v;
  }

  static void frame(Graphics2D g, int x, int y, int w, int h, String title) {
    g.setColor(new Color(0xf5f5f5));
    g.fillRect(x, y, w, h);
    g.setColor(new Color(0xbdbdbd));
    g.drawRect(x, y, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, x + 12, y + 22);
  }

  static void panel(Graphics2D g, int x, int y, int w, int h, String title, String[] labels, double[] v, Color[] colors,
      String fmt) {
    frame(g, x, y, w, h, title);
    double max = Arrays.stream(v).filter(d -> !Double.isNaN(d)).map(Math::abs).max().orElse(1);
    max = max <= 0 ? 1 : max;
    int base = y + h - 40;
    int top = y + 50;
    int slot = (w - 40) / v.length;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int i = 0; i < v.length; i++) {
      double d = Double.isNaN(v[i]) ? 0 : Math.max(0, v[i]);
      int bh = (int) ((base - top) * d / max);
      int bx = x + 20 + i * slot + slot / 6;
      int bw = slot * 2 / 3;
      g.setColor(colors[i]);
      g.fillRect(bx, base - bh, bw, bh);
      g.setColor(Color.BLACK);
      String s = Double.isNaN(v[i]) ? "n/a" : String.format(Locale.ROOT, fmt, v[i]);
      g.drawString(s, bx + (bw - g.getFontMetrics().stringWidth(s)) / 2, base - bh - 5);
      g.drawString(labels[i], bx + (bw - g.getFontMetrics().stringWidth(labels[i])) / 2, base + 18);
    }
    g.setStroke(new BasicStroke(1));
    g.drawLine(x + 15, base, x + w - 15, base);
  }

  static void grouped(Graphics2D g, int x, int y, int w, int h, String title, String[] labels, double[][] series,
      String fmt) {
    frame(g, x, y, w, h, title);
    double max = 1e-9;
    for (double[] s : series) {
      for (double d : s) {
        if (!Double.isNaN(d)) {
          max = Math.max(max, d);
        }
      }
    }
    int base = y + h - 40;
    int top = y + 50;
    int slot = (w - 40) / labels.length;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < labels.length; i++) {
      int gx = x + 20 + i * slot + slot / 10;
      int bw = (slot * 8 / 10) / series.length;
      for (int k = 0; k < series.length; k++) {
        double d = Double.isNaN(series[k][i]) ? 0 : Math.max(0, series[k][i]);
        int bh = (int) ((base - top) * d / max);
        Color c = COLORS[i];
        g.setColor(k == 0 ? c : c.darker().darker());
        g.fillRect(gx + k * bw, base - bh, bw - 4, bh);
        g.setColor(Color.BLACK);
        String s = Double.isNaN(series[k][i]) ? "n/a" : String.format(Locale.ROOT, fmt, series[k][i]);
        g.drawString(s, gx + k * bw + (bw - 4 - g.getFontMetrics().stringWidth(s)) / 2, base - bh - 5);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString(labels[i], gx + (bw * series.length - g.getFontMetrics().stringWidth(labels[i])) / 2, base + 18);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }
    g.drawLine(x + 15, base, x + w - 15, base);
  }
}
