import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Issue 19's targets, evaluated against a {@code latest.json} tree (as Report writes it) for one
 * Sluice arm ({@code sluice}, {@code sluice-base}, {@code sluice-traced}). Shared by Report (the
 * "targets" array of latest.json and latest.md) and ReadmeTable (README's performance table), so
 * both always show the same figures. A figure the run does not have is "not measured in this run"
 * ({@code met: null}), never a guess.
 */
final class Targets {
  /** One target: how to read its figure for an arm (NaN when absent) and how to show it. */
  record Target(String id, String figure, String target, String op, double limit, boolean tracedLine,
      BiFunction<JsonNode, String, Double> value, BiFunction<JsonNode, String, String> detail) {}

  static final List<Target> ALL = List.of(
      new Target("latency_c1_p99_vs_nginx", "c=1 p99, Sluice vs nginx", "≤ 2 ×", "<=", 2, true,
          (r, a) -> ratio(r, "latency_p99_" + a + "_over_nginx"),
          (r, a) -> ms(r, a, "latency_c1_p99_ms") + " vs " + ms(r, "nginx", "latency_c1_p99_ms")),
      new Target("latency_c1_p50_vs_nginx", "c=1 p50, Sluice vs nginx", "≤ 1.5 ×", "<=", 1.5, true,
          (r, a) -> ratio(r, "latency_p50_" + a + "_over_nginx"),
          (r, a) -> ms(r, a, "latency_c1_p50_ms") + " vs " + ms(r, "nginx", "latency_c1_p50_ms")),
      new Target("throughput_vs_nginx", "throughput vs nginx (c=64)", "≥ 0.5 ×", ">=", 0.5, true,
          (r, a) -> ratio(r, "throughput_" + a + "_over_nginx"),
          (r, a) -> rps(r, a) + " vs " + rps(r, "nginx")),
      new Target("throughput_vs_portkey", "throughput vs Portkey", "≥ 25 ×", ">=", 25, true,
          (r, a) -> ratio(r, "throughput_" + a + "_over_portkey"),
          (r, a) -> "Portkey " + rps(r, "portkey")),
      new Target("throughput_vs_vertx", "throughput vs the plain Vert.x arm", "≥ 0.75 ×", ">=", 0.75, true,
          (r, a) -> ratio(r, "throughput_" + a + "_over_vertx"),
          (r, a) -> "plain Vert.x " + rps(r, "vertx")),
      new Target("stream_added_ttft_ms", "streaming: added time to first token (arm − direct)", "≤ 0.25 ms", "<=", 0.25,
          false, (r, a) -> ratio(r, "added_ttft_ms_" + a),
          (r, a) -> "nginx " + Report.fmt(ratio(r, "added_ttft_ms_nginx")) + " ms, plain Vert.x "
              + Report.fmt(ratio(r, "added_ttft_ms_vertx")) + " ms"),
      new Target("concurrent_streams_99_9", "concurrent streams at ≥ 99.9% success, 2 cores", "10,000", ">=", 10000,
          false, Targets::streams, Targets::streamsDetail),
      new Target("rss_mb_at_5000_streams", "resident memory at 5,000 streams", "≤ 300 MB", "<=", 300, false,
          (r, a) -> num(r.path("arms").path(a).path("rss_mb_at_5000_streams")),
          (r, a) -> "plain Vert.x " + Report.fmt(num(r.path("arms").path("vertx").path("rss_mb_at_5000_streams"))) + " MB"),
      new Target("ledger_cpu_us_per_row_sqlite", "ledger: CPU per row on SQLite", "≤ 3 µs", "<=", 3, false,
          (r, a) -> a.equals("sluice") ? num(r.path("ledger").path("sqlite").path("cpu_us_per_ledger_row"))
              : a.equals("sluice-base") ? num(r.path("ledger").path("sqlite").path("base_cpu_us_per_ledger_row")) : Double.NaN,
          (r, a) -> {
            double pg = num(r.path("ledger").path("postgresql").path("cpu_us_per_ledger_row"));
            return Double.isNaN(pg) ? "PostgreSQL not measured" : "PostgreSQL " + Report.fmt(pg) + " µs";
          }));

  private Targets() {}

  /** Evaluates every target for {@code arm} into an array of {id, figure, target, value, met, measured, detail}. */
  static ArrayNode evaluate(JsonNode root, String arm, ArrayNode into) {
    for (Target t : ALL) {
      double v = t.value().apply(root, arm);
      ObjectNode o = into.addObject();
      o.put("id", t.id());
      o.put("figure", t.figure());
      o.put("target", t.target());
      o.put("op", t.op());
      o.put("limit", t.limit());
      o.put("arm", arm);
      boolean measured = !Double.isNaN(v);
      if (measured) {
        o.put("value", Report.round(v));
        o.put("met", t.op().equals(">=") ? v >= t.limit() : v <= t.limit());
        o.put("measured", show(t, v));
        o.put("detail", t.detail().apply(root, arm));
      } else {
        o.putNull("value");
        o.putNull("met");
        o.put("measured", "not measured in this run");
      }
    }
    return into;
  }

  static String show(Target t, double v) {
    return switch (t.id()) {
      case "stream_added_ttft_ms" -> String.format(Locale.ROOT, "%.3f ms", v);
      case "concurrent_streams_99_9" -> String.format(Locale.ROOT, "%,.0f", v);
      case "rss_mb_at_5000_streams" -> Report.fmt(v) + " MB";
      case "ledger_cpu_us_per_row_sqlite" -> Report.fmt(v) + " µs";
      default -> Report.fmt(v) + " ×";
    };
  }

  static double ratio(JsonNode r, String key) {
    return num(r.path("ratios").path(key).path("median"));
  }

  static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  static String ms(JsonNode r, String arm, String key) {
    return Report.fmt(num(r.path("arms").path(arm).path(key).path("median"))) + " ms";
  }

  static String rps(JsonNode r, String arm) {
    return Report.fmt(num(r.path("arms").path(arm).path("throughput_rps").path("median"))) + " req/s";
  }

  /** Streams held; NaN when the arm did not run the concurrent-streams phase. */
  static double streams(JsonNode r, String arm) {
    JsonNode a = r.path("arms").path(arm);
    return a.path("concurrent_streams").size() == 0 ? Double.NaN : num(a.path("max_concurrent_streams_99_9"));
  }

  static String streamsDetail(JsonNode r, String arm) {
    StringBuilder b = new StringBuilder();
    int top = 0;
    for (JsonNode l : r.path("arms").path(arm).path("concurrent_streams")) {
      top = Math.max(top, l.path("level").asInt());
      if (l.path("success").asDouble() < 0.999) {
        b.append(String.format(Locale.ROOT, "%,d: %.1f%%", l.path("level").asInt(), 100 * l.path("success").asDouble()));
      }
    }
    String s = "levels up to " + String.format(Locale.ROOT, "%,d", top) + (b.length() > 0 ? "; failed at " + b : "");
    String fd = r.path("machine").path("ulimit_n").asText("");
    if (arm.startsWith("sluice") && r.path("setup").path("hold_upstream_sluice").asText("").startsWith("https")) {
      s += "; upstream over HTTPS, HTTP/2: one descriptor per stream";
    } else if (!fd.isEmpty() && fd.matches("\\d+") && Integer.parseInt(fd) < 2 * top + 512) {
      s += "; open-file limit " + fd + " < 2 per stream";
    }
    return s;
  }
}
