package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice keys create|list|revoke}: stored client keys, through the admin API. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke client keys (admin API).",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs an admin call; a failure is printed to stderr and becomes the exit code. */
  interface AdminCall {
    void run() throws AdminClient.Failure;
  }

  static int call(AdminCall call) {
    try {
      call.run();
      return 0;
    } catch (AdminClient.Failure f) {
      System.err.println("sluice: " + f.getMessage());
      return f.exitCode;
    }
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  static String budget(JsonNode b) {
    if (b == null || b.isNull()) {
      return null;
    }
    return "$" + new BigDecimal(b.path("usd").asText("0")).stripTrailingZeros().toPlainString() + "/"
        + b.path("period").asText() + " " + b.path("mode").asText();
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a key; prints it once (it is stored only as a hash).")
  static final class Create implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Option(names = "--name", required = true, description = "Who the key is for (its identity in spend reports)")
    String name;

    @Option(names = "--team", description = "The team it belongs to")
    String team;

    @Option(names = "--models", split = ",", paramLabel = "MODEL", description = "Models it may call (default: all)")
    List<String> models;

    @Option(names = "--rpm", description = "Requests per minute (default: no limit)")
    Long rpm;

    @Option(names = "--tpm", description = "Tokens per minute (default: no limit)")
    Long tpm;

    @Option(names = "--max-concurrency", description = "Requests in flight at once (default: no limit)")
    Integer maxConcurrency;

    @Option(names = "--priority", description = "high, normal or low (default: normal)")
    String priority;

    @Option(names = "--budget-usd", paramLabel = "USD", description = "Spending cap per period, e.g. 50 or 12.5")
    String budgetUsd;

    @Option(names = "--budget-period", defaultValue = "monthly", description = "daily, monthly or total (default: ${DEFAULT-VALUE})")
    String budgetPeriod;

    @Option(names = "--budget-mode", defaultValue = "hard", description = "hard (refuse) or soft (alert) (default: ${DEFAULT-VALUE})")
    String budgetMode;

    @Option(names = "--expires-at", paramLabel = "TIME", description = "When it stops working, ISO-8601 (2026-12-31T23:59:59Z)")
    String expiresAt;

    @Option(names = "--metadata", paramLabel = "K=V", description = "Free-form labels, repeatable")
    Map<String, String> metadata;

    @Override
    public Integer call() {
      return KeysCommand.call(() -> {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", name);
        if (team != null) {
          body.put("team", team);
        }
        if (models != null && !models.isEmpty()) {
          models.stream().map(String::strip).filter(m -> !m.isEmpty()).forEach(body.putArray("models")::add);
        }
        if (rpm != null || tpm != null || maxConcurrency != null) {
          ObjectNode limits = body.putObject("limits");
          if (rpm != null) {
            limits.put("rpm", rpm);
          }
          if (tpm != null) {
            limits.put("tpm", tpm);
          }
          if (maxConcurrency != null) {
            limits.put("max_concurrency", maxConcurrency);
          }
        }
        if (priority != null) {
          body.put("priority", priority);
        }
        if (budgetUsd != null) {
          body.putObject("budget").put("usd", budgetUsd).put("period", budgetPeriod).put("mode", budgetMode);
        }
        if (expiresAt != null) {
          body.put("expires_at", expiresAt);
        }
        if (metadata != null) {
          ObjectNode m = body.putObject("metadata");
          metadata.forEach(m::put);
        }
        JsonNode k = admin.post("/admin/keys", body);
        System.out.println("Created key " + k.path("id").asText() + " (" + k.path("name").asText()
            + (text(k.get("team")) == null ? "" : ", team " + k.path("team").asText()) + ").");
        System.out.println("This is the only time the key is shown; store it now:");
        System.out.println();
        System.out.println("  " + k.path("key").asText());
        System.out.println();
      });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never the keys themselves).")
  static final class ListKeys implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Option(names = "--team", description = "Only this team's keys")
    String team;

    @Override
    public Integer call() {
      return KeysCommand.call(() -> {
        JsonNode list = admin.get("/admin/keys" + (team == null ? "" : "?team=" + AdminClient.encode(team)));
        Table t = new Table("ID", "NAME", "TEAM", "PREFIX", "MODELS", "RPM", "TPM", "BUDGET", "STATUS", "EXPIRES",
            "CREATED");
        for (JsonNode k : list.path("data")) {
          JsonNode models = k.get("models");
          String modelText = models == null || models.isNull() ? "all" : String.join(",",
              java.util.stream.StreamSupport.stream(models.spliterator(), false).map(JsonNode::asText).toList());
          long rpmValue = k.path("limits").path("rpm").asLong();
          long tpmValue = k.path("limits").path("tpm").asLong();
          t.row(k.path("id").asText(), k.path("name").asText(), text(k.get("team")), k.path("key_prefix").asText() + "…",
              modelText, rpmValue == 0 ? null : rpmValue, tpmValue == 0 ? null : tpmValue, budget(k.get("budget")),
              k.path("status").asText(), text(k.get("expires_at")), k.path("created_at").asText());
        }
        t.print(System.out);
        System.out.println(t.size() + (t.size() == 1 ? " key" : " keys"));
      });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: refused from the next request on.")
  static final class Revoke implements Callable<Integer> {
    @Mixin AdminClient admin;

    @Parameters(paramLabel = "ID", description = "The key's id (key_…), as `sluice keys list` shows it")
    String id;

    @Override
    public Integer call() {
      return KeysCommand.call(() -> {
        JsonNode k = admin.delete("/admin/keys/" + AdminClient.encode(id));
        System.out.println("Revoked " + k.path("id").asText() + " (" + k.path("name").asText() + ") as of "
            + k.path("revoked_at").asText() + ".");
      });
    }
  }
}
