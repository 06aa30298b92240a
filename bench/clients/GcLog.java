import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summarises the JVM arms' GC logs ({@code -Xlog:gc*:file=gc-<arm>.log:timemillis,level,tags:filecount=0}, as
 * bench/run.sh starts them) per phase window: the c=1 latency rounds, the throughput rounds, and the whole run.
 * A pause is a {@code [gc]} or {@code [gc,phases]} line "GC(n) Pause … 1.234ms" (ParallelGC, G1, Serial:
 * "Pause Young"/"Pause Full"; ZGC and Shenandoah: their short pauses); run.sh records each window's wall-clock
 * start and end (epoch ms) in raw.jsonl as {@code {"phase":"window","what":...,"arm":...,"start_ms","end_ms"}}.
 */
final class GcLog {
  record Pause(long atMs, int gcId, boolean full, double ms) {}

  /** The pauses of one log and the time it spans (its first to its last stamped line). */
  record Log(List<Pause> pauses, long firstMs, long lastMs) {}

  static final Pattern STAMP = Pattern.compile("^\\[(\\d+)ms\\]");

  static final Pattern LINE =
      Pattern.compile("^\\[(\\d+)ms\\]\\[[a-z]+\\s*\\]\\[(gc|gc,phases)\\s*\\] GC\\((\\d+)\\) (?:[A-Za-z]: )?Pause (.*?) ([0-9.]+)ms$");

  private GcLog() {}

  static Log parse(Path log) throws IOException {
    List<Pause> out = new ArrayList<>();
    long first = -1;
    long last = -1;
    for (String line : Files.readAllLines(log)) {
      Matcher stamp = STAMP.matcher(line);
      if (stamp.find()) {
        last = Long.parseLong(stamp.group(1));
        first = first < 0 ? last : first;
      }
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        out.add(new Pause(Long.parseLong(m.group(1)), Integer.parseInt(m.group(3)), m.group(4).startsWith("Full"),
            Double.parseDouble(m.group(5))));
      }
    }
    return new Log(out, first, last);
  }

  static void summarise(List<JsonNode> raw, Path work, String[] arms, ObjectNode into) throws IOException {
    for (String arm : arms) {
      Path log = work.resolve("gc-" + arm + ".log");
      if (!Files.exists(log)) {
        continue;
      }
      Log parsed = parse(log);
      List<Pause> pauses = parsed.pauses();
      ObjectNode a = into.putObject(arm);
      a.put("log", "bench/work/" + log.getFileName());
      for (String what : List.of("latency", "throughput")) {
        List<long[]> windows = new ArrayList<>();
        for (JsonNode n : raw) {
          if (n.path("phase").asText().equals("window") && n.path("arm").asText().equals(arm)
              && n.path("what").asText().equals(what)) {
            windows.add(new long[] {n.path("start_ms").asLong(), n.path("end_ms").asLong()});
          }
        }
        List<Pause> in = new ArrayList<>();
        long span = 0;
        for (long[] w : windows) {
          span += w[1] - w[0];
          for (Pause p : pauses) {
            if (p.atMs() >= w[0] && p.atMs() <= w[1]) {
              in.add(p);
            }
          }
        }
        if (!windows.isEmpty()) {
          stats(a.putObject(what), in, span);
        }
      }
      stats(a.putObject("run"), pauses, Math.max(0, parsed.lastMs() - parsed.firstMs()));
    }
  }

  static void stats(ObjectNode o, List<Pause> pauses, long spanMs) {
    Set<Integer> young = new HashSet<>();
    Set<Integer> full = new HashSet<>();
    double[] ms = new double[pauses.size()];
    double total = 0;
    for (int i = 0; i < ms.length; i++) {
      Pause p = pauses.get(i);
      (p.full() ? full : young).add(p.gcId());
      ms[i] = p.ms();
      total += p.ms();
    }
    java.util.Arrays.sort(ms);
    o.put("seconds", Report.round(spanMs / 1000.0));
    o.put("young_collections", young.size());
    o.put("full_collections", full.size());
    o.put("pauses", ms.length);
    o.put("pause_p50_ms", Report.round(pct(ms, 0.50)));
    o.put("pause_p99_ms", Report.round(pct(ms, 0.99)));
    o.put("pause_max_ms", Report.round(ms.length == 0 ? Double.NaN : ms[ms.length - 1]));
    o.put("pause_total_ms", Report.round(total));
    o.put("pause_ms_per_s", Report.round(spanMs > 0 ? total * 1000 / spanMs : Double.NaN));
  }

  static double pct(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /** The summary as a Markdown table (also written alone to results/gc-summary.txt). */
  static String markdown(JsonNode gc) {
    if (gc.size() == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder("\n## GC pauses (from `-Xlog:gc*` of the JVM arms)\n\n")
        .append("Phase windows summed over rounds; \"young\"/\"full\": collections with a pause in the window; pause ")
        .append("percentiles over every pause in it.\n\n")
        .append("| arm | phase | seconds | young | full | pauses | p50 (ms) | p99 (ms) | max (ms) | total (ms) | ms per s |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) gc::fields) {
      for (String what : List.of("latency", "throughput", "run")) {
        JsonNode s = e.getValue().path(what);
        if (s.isMissingNode()) {
          continue;
        }
        b.append("| ").append(e.getKey()).append(" | ").append(what.equals("latency") ? "c=1 latency" : what).append(" | ")
            .append(Report.fmt(s.path("seconds").asDouble())).append(" | ").append(s.path("young_collections").asInt())
            .append(" | ").append(s.path("full_collections").asInt()).append(" | ").append(s.path("pauses").asInt());
        for (String k : List.of("pause_p50_ms", "pause_p99_ms", "pause_max_ms", "pause_total_ms", "pause_ms_per_s")) {
          b.append(" | ").append(Report.fmt(Targets.num(s.path(k))));
        }
        b.append(" |\n");
      }
    }
    return b.toString();
  }

  static String text(JsonNode gc, Map<String, String> meta) {
    return String.format(Locale.ROOT, "GC pauses of the JVM arms, bench/run.sh of %s (JVM flags: %s)%n",
        meta.get("date"), meta.get("sluice_java_opts")) + markdown(gc).replaceFirst("^\n## [^\n]*\n", "");
  }
}
