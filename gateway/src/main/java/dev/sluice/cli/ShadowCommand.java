package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice shadow report}: how shadow candidates compare with their primary, through the admin API. */
@Command(name = "shadow", mixinStandardHelpOptions = true, description = "Shadow traffic reports (admin API).",
    subcommands = ShadowCommand.Report.class)
final class ShadowCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Per shadow candidate: pairs, p50/p95 latency and TTFT, cost per 1,000 requests, error rates,"
          + " agreement and similarity, against the primary (GET /admin/shadow).")
  static final class Report implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Option(names = "--model", description = "The model entry whose shadows to report (default: every entry)")
    String model;

    @Option(names = "--from", description = "Start of the window: a date or ISO-8601 time (default: 24 hours before --to)")
    String from;

    @Option(names = "--to", description = "End of the window (default: now)")
    String to;

    @Option(names = "--json", description = "Print the admin API's JSON as it is")
    boolean json;

    @Override
    public Integer call() {
      return KeysCommand.call(() -> {
        StringBuilder q = new StringBuilder();
        AdminClient.appendParam(q, "model", model);
        AdminClient.appendParam(q, "from", from);
        AdminClient.appendParam(q, "to", to);
        JsonNode r = admin.get("/admin/shadow" + q);
        if (json) {
          System.out.println(r.toPrettyString());
          return;
        }
        System.out.println("Shadow pairs " + r.path("from").asText() + " .. " + r.path("to").asText() + ": "
            + r.path("pairs").asLong());
        Table t = new Table("MODEL", "CANDIDATE", "PAIRS", "P50 MS (P/C)", "P95 MS (P/C)", "P50 TTFT (P/C)",
            "P95 TTFT (P/C)", "USD/1K (P/C)", "ERRORS (P/C)", "EXACT", "JSON", "SCHEMA", "TOOLS", "SIMILARITY");
        for (JsonNode c : r.path("data")) {
          t.row(c.path("model").asText(), c.path("candidate").asText(), c.path("pairs").asText(),
              pair(c.path("latency_ms"), "p50"), pair(c.path("latency_ms"), "p95"), pair(c.path("ttft_ms"), "p50"),
              pair(c.path("ttft_ms"), "p95"),
              c.path("cost_per_1000_requests_usd").path("primary").asText() + " / "
                  + c.path("cost_per_1000_requests_usd").path("candidate").asText(),
              percent(c.path("error_rate").path("primary")) + " / " + percent(c.path("error_rate").path("candidate")),
              agreement(c.path("agreement").path("exact")), agreement(c.path("agreement").path("json_valid")),
              agreement(c.path("agreement").path("schema_match")), agreement(c.path("agreement").path("tools")),
              c.path("similarity").path("mean").isNull() ? "-" : String.format(java.util.Locale.ROOT, "%.3f (n=%d)",
                  c.path("similarity").path("mean").asDouble(), c.path("similarity").path("n").asLong()));
        }
        t.print(System.out);
      });
    }

    private static String pair(JsonNode o, String p) {
      return text(o.path("primary").path(p)) + " / " + text(o.path("candidate").path(p));
    }

    private static String text(JsonNode n) {
      return n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }

    private static String percent(JsonNode n) {
      return String.format(java.util.Locale.ROOT, "%.1f%%", n.asDouble() * 100);
    }

    private static String agreement(JsonNode a) {
      return a.path("rate").isNull() ? "-" : percent(a.path("rate")) + " (n=" + a.path("n").asLong() + ")";
    }
  }
}
