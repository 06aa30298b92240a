import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites README.md's performance table — the lines between {@code <!-- perf:begin -->} and
 * {@code <!-- perf:end -->} — from bench/results/latest.json: issue 19's targets for Sluice, the same
 * for sluice-base (when the run had BASE_REF) and a second block with tracing on (when it had
 * sluice-traced). A figure the run does not have reads "not measured in this run". Report uses
 * {@link #table} for latest.md too.
 *
 * <p>Usage: {@code java -cp sluice.jar:classes ReadmeTable bench/results/latest.json README.md}.
 */
public final class ReadmeTable {
  static final String BEGIN = "<!-- perf:begin -->";
  static final String END = "<!-- perf:end -->";

  public static void main(String[] args) throws Exception {
    ObjectMapper json = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    JsonNode r = json.readTree(Path.of(args[0]).toFile());
    Path readme = Path.of(args[1]);
    String text = Files.readString(readme);
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b < 0 || e < b) {
      System.err.println(readme + ": no " + BEGIN + " … " + END + " markers; table not written");
      System.exit(1);
    }
    String block = BEGIN + "\n<!-- generated from bench/results/latest.json by bench/clients/ReadmeTable.java (bench/run.sh "
        + "runs it); edit the generator, not this table -->\n" + intro(r) + "\n" + table(r);
    Files.writeString(readme, text.substring(0, b) + block + text.substring(e));
  }

  static String intro(JsonNode r) {
    JsonNode s = r.path("setup");
    StringBuilder b = new StringBuilder("Latest run: ").append(r.path("date").asText()).append(", Sluice commit `")
        .append(r.path("versions").path("sluice_commit").asText()).append("`, ").append(r.path("machine").path("cpus").asText())
        .append(" cores (shared; load average ").append(r.path("machine").path("load_before").asText()).append(" before")
        .append(r.path("machine").path("steal_percent").isTextual()
            ? "; " + r.path("machine").path("steal_percent").asText() + " % of the CPU stolen by other guests during the run" : "")
        .append("), ")
        .append(s.path("rounds").asText()).append(" rounds, Sluice on `").append(s.path("sluice_java_opts").asText())
        .append("`. Ratios are medians of same-round ratios; every figure per arm and round in `bench/results/latest.md`.\n");
    return b.toString();
  }

  /** The targets table: Sluice, then sluice-base (a column) and sluice-traced (rows) when the run had them. */
  static String table(JsonNode r) {
    ArrayNode mine = Targets.evaluate(r, "sluice", newArray());
    boolean base = r.path("arms").has("sluice-base");
    boolean traced = r.path("arms").has("sluice-traced");
    ArrayNode baseT = base ? Targets.evaluate(r, "sluice-base", newArray()) : null;
    StringBuilder md = new StringBuilder("| figure | target | measured | met |");
    if (base) {
      md.append(" sluice-base (`").append(r.path("setup").path("base_ref").asText()).append("`) |");
    }
    md.append("\n|---|---|---|---|").append(base ? "---|" : "").append('\n');
    for (int i = 0; i < mine.size(); i++) {
      JsonNode t = mine.get(i);
      md.append("| ").append(t.path("figure").asText()).append(" | ").append(t.path("target").asText()).append(" | ")
          .append(measured(t)).append(" | ").append(met(t)).append(" |");
      if (base) {
        JsonNode x = baseT.get(i);
        md.append(' ').append(x.path("measured").asText())
            .append(x.path("met").isBoolean() ? " (" + met(x) + ")" : "").append(" |");
      }
      md.append('\n');
    }
    if (traced) {
      ArrayNode tr = Targets.evaluate(r, "sluice-traced", newArray());
      for (int i = 0; i < tr.size(); i++) {
        if (Targets.ALL.get(i).tracedLine()) {
          JsonNode t = tr.get(i);
          md.append("| tracing on: ").append(t.path("figure").asText().replace("Sluice vs", "vs")).append(" | ")
              .append(t.path("target").asText()).append(" | ").append(measured(t)).append(" | ").append(met(t)).append(" |")
              .append(base ? " |" : "").append('\n');
        }
      }
    } else {
      md.append("| tracing on (sample 1.0, OTLP/HTTP): throughput and c=1 latency | as above | not measured in this run | — |")
          .append(base ? " |" : "").append('\n');
    }
    return md.toString();
  }

  static String measured(JsonNode t) {
    String d = t.path("detail").asText("");
    return t.path("measured").asText() + (d.isEmpty() ? "" : " (" + d + ")");
  }

  static String met(JsonNode t) {
    return t.path("met").isBoolean() ? (t.path("met").asBoolean() ? "yes" : "**no**") : "—";
  }

  static ArrayNode newArray() {
    return Report.JSON.createArrayNode();
  }
}
