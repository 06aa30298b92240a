package dev.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice}: the command-line entry point. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
    description = "An LLM gateway: one OpenAI-compatible entry point in front of many model providers.",
    subcommands = {ServeCommand.class, ConfigCommand.class, MockUpstreamCommand.class, KeysCommand.class,
        TeamsCommand.class, CostCommand.class, ShadowCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0 || args.length == 0 || !"serve".equals(args[0]) && !"mock-upstream".equals(args[0])) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
