package dev.sluice.cli;

import dev.sluice.config.ConfigCheck;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigProblem;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice config check FILE}: validates a config and prints every problem with its path. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with config files.",
    subcommands = {ConfigCommand.Check.class, ConfigCommand.Reload.class})
final class ConfigCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "reload", mixinStandardHelpOptions = true,
      description = "Ask the running gateway to reload its config file (POST /admin/config/reload); prints what "
          + "changed, or every problem of the new file (nothing then changes). Exit 0 when applied, 1 when not.")
  static final class Reload implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    AdminClient admin;

    @Override
    public Integer call() {
      com.fasterxml.jackson.databind.JsonNode res;
      try {
        res = admin.post("/admin/config/reload", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
      } catch (AdminClient.Failure f) {
        System.err.println("sluice: " + f.getMessage());
        return f.exitCode;
      }
      System.out.println("Reloaded " + res.path("source").asText() + ": " + res.path("summary").asText());
      res.path("changes").fields().forEachRemaining(e -> System.out.println("  " + e.getKey() + ": " + e.getValue()));
      return 0;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate a config file; prints every error with its path. Exit 0 when valid, 1 when not.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the YAML config to check")
    Path file;

    @Override
    public Integer call() {
      ConfigCheck check = ConfigCheck.load(ConfigLoader.fromSystemEnv(), file);
      if (check.valid()) {
        System.out.println(file + ": OK — " + check.summary());
        check.warnings().forEach(s -> System.out.println("  left out: " + s));
        return 0;
      }
      System.out.println(file + ": " + check.summary());
      for (ConfigProblem p : check.problems()) {
        System.out.println("  " + p);
      }
      return 1;
    }
  }
}
