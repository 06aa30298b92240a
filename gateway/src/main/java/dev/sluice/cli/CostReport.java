package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice cost report}: {@code GET /admin/spend} as a table, one line per group with what the
 * clients spent, what the response cache and the providers' prompt caches saved, and the shadow spend.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Spend and savings per key, team, model, provider or day (GET /admin/spend): spent, saved by the"
        + " response cache, saved by provider prompt caching, shadow spend.")
final class CostReport implements Callable<Integer> {
  @Mixin AdminClient admin;

  @Option(names = "--group-by", paramLabel = "DIMENSION", description = "key, team, model, provider or day (default: key)")
  String groupBy;

  @Option(names = "--from", description = "Start: a date (2026-01-31) or ISO-8601 time (default: the start of this UTC month)")
  String from;

  @Option(names = "--to", description = "End, exclusive (default: none)")
  String to;

  @Option(names = "--key", description = "Only this key's (by name)")
  String key;

  @Option(names = "--team", description = "Only this team's")
  String team;

  @Option(names = "--json", description = "Print the admin API's JSON as it is")
  boolean json;

  @Override
  public Integer call() {
    return KeysCommand.call(() -> {
      StringBuilder q = new StringBuilder();
      AdminClient.appendParam(q, "group_by", groupBy);
      AdminClient.appendParam(q, "from", from);
      AdminClient.appendParam(q, "to", to);
      AdminClient.appendParam(q, "key", key);
      AdminClient.appendParam(q, "team", team);
      JsonNode r = admin.get("/admin/spend" + q);
      if (json) {
        System.out.println(r.toPrettyString());
        return;
      }
      System.out.println("Spend by " + r.path("group_by").asText() + " from " + r.path("from").asText()
          + (r.path("to").isNull() ? "" : " to " + r.path("to").asText()) + " (USD)");
      Table t = new Table(r.path("group_by").asText().toUpperCase(java.util.Locale.ROOT), "REQUESTS", "SPENT",
          "SAVED RESPONSE CACHE", "SAVED PROMPT CACHE", "SHADOW", "TOTAL COST");
      for (JsonNode g : r.path("data")) {
        line(t, g.path("group").isNull() ? "(none)" : g.path("group").asText(), g);
      }
      line(t, "TOTAL", r.path("total"));
      t.print(System.out);
    });
  }

  private static void line(Table t, String group, JsonNode g) {
    t.row(group, g.path("requests").asText(), g.path("spent_usd").asText(),
        g.path("saved_by_response_cache_usd").asText(), g.path("saved_by_prompt_cache_usd").asText(),
        g.path("shadow_usd").asText(), g.path("cost_usd").asText());
  }
}
