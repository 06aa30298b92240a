package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice teams create|list}: teams and their shared budgets, through the admin API. */
@Command(name = "teams", mixinStandardHelpOptions = true, description = "Create and list teams (admin API).",
    subcommands = {TeamsCommand.Create.class, TeamsCommand.ListTeams.class})
final class TeamsCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a team, or replace an existing team's budget and alert settings.")
  static final class Create implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Option(names = "--name", required = true, description = "The team's name (what keys name as their team)")
    String name;

    @Option(names = "--budget-usd", paramLabel = "USD", description = "The team's spending cap per period")
    String budgetUsd;

    @Option(names = "--budget-period", defaultValue = "monthly", description = "daily, monthly or total (default: ${DEFAULT-VALUE})")
    String budgetPeriod;

    @Option(names = "--budget-mode", defaultValue = "hard", description = "hard (refuse) or soft (alert) (default: ${DEFAULT-VALUE})")
    String budgetMode;

    @Option(names = "--alert-webhook", paramLabel = "URL", description = "Where budget alerts are POSTed: an https://"
        + " URL of a public host (http:// and private addresses only for hosts in outbound.trusted_hosts)")
    String alertWebhook;

    @Option(names = "--alert-thresholds", split = ",", paramLabel = "PCT",
        description = "Percentages of the budget that alert (default: 50,80,100)")
    List<String> alertThresholds;

    @Override
    public Integer call() {
      return KeysCommand.call(() -> {
        if (budgetUsd == null && (alertWebhook != null || alertThresholds != null)) {
          throw new AdminClient.Failure(2, "--alert-webhook and --alert-thresholds need --budget-usd");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", name);
        if (budgetUsd != null) {
          ObjectNode b = body.putObject("budget").put("usd", budgetUsd).put("period", budgetPeriod)
              .put("mode", budgetMode);
          if (alertWebhook != null) {
            b.put("alert_webhook", alertWebhook);
          }
          if (alertThresholds != null) {
            ArrayNode t = b.putArray("alert_thresholds");
            alertThresholds.stream().map(String::strip).forEach(t::add);
          }
        }
        JsonNode team = admin.post("/admin/teams", body);
        System.out.println("Team " + team.path("name").asText() + ": "
            + (team.get("budget") == null || team.get("budget").isNull() ? "no budget" : "budget "
            + KeysCommand.budget(team.get("budget"))) + ".");
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List teams and their budgets.")
  static final class ListTeams implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Override
    public Integer call() {
      return KeysCommand.call(() -> {
        JsonNode list = admin.get("/admin/teams");
        Table t = new Table("NAME", "BUDGET", "ALERT AT", "WEBHOOK", "CREATED");
        for (JsonNode team : list.path("data")) {
          JsonNode b = team.get("budget");
          String thresholds = b == null || b.isNull() ? null : String.join(",",
              java.util.stream.StreamSupport.stream(b.path("alert_thresholds").spliterator(), false)
                  .map(n -> n.asText() + "%").toList());
          t.row(team.path("name").asText(), KeysCommand.budget(b), thresholds,
              b == null ? null : KeysCommand.text(b.get("alert_webhook")), team.path("created_at").asText());
        }
        t.print(System.out);
        System.out.println(t.size() + (t.size() == 1 ? " team" : " teams"));
      });
    }
  }
}
