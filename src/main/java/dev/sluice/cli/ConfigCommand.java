package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigProblem;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice config check FILE}: validates a config and prints every problem with its path. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with config files.",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate a config file; prints every error with its path. Exit 0 when valid, 1 when not.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the YAML config to check")
    Path file;

    @Override
    public Integer call() {
      try {
        SluiceConfig cfg = ConfigLoader.fromSystemEnv().load(file);
        System.out.println(file + ": OK — " + cfg.providers().size() + " providers, " + cfg.models().size()
            + " models, " + cfg.keys().size() + " keys");
        cfg.skipped().forEach(s -> System.out.println("  left out: " + s));
        return 0;
      } catch (ConfigException e) {
        System.out.println(file + ": " + e.problems().size() + " problem(s)");
        for (ConfigProblem p : e.problems()) {
          System.out.println("  " + p);
        }
        return 1;
      }
    }
  }
}
