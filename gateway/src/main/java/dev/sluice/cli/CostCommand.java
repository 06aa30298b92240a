package dev.sluice.cli;

import dev.sluice.billing.SpendReplay;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.cost.CostForecast;
import dev.sluice.cost.Micros;
import dev.sluice.cost.ModelPrice;
import dev.sluice.cost.PriceCatalog;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Store;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice cost estimate|replay|report}: what traffic will cost, what recorded traffic would have
 * cost, and what it cost and saved ({@link CostReport}, through the admin API).
 */
@Command(name = "cost", mixinStandardHelpOptions = true,
    description = "Forecast and replay costs from the price catalog; report spend and savings.",
    subcommands = {CostCommand.Estimate.class, CostCommand.Replay.class, CostReport.class})
final class CostCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The bundled catalog's price of {@code model}, or empty after printing why not. */
  static Optional<ModelPrice> price(String model) {
    try {
      return Optional.of(CostForecast.catalogPrice(PriceCatalog.bundled(), model));
    } catch (CostForecast.UnknownModel e) {
      System.err.println("sluice: " + e.getMessage());
      return Optional.empty();
    }
  }

  static String usd(Micros m) {
    return "$" + m.toUsdString();
  }

  /** A price per million tokens, as the catalog writes it: $0.15, $10.00. */
  static String price(Micros m) {
    BigDecimal usd = m.toUsd().stripTrailingZeros();
    return "$" + (usd.scale() < 2 ? usd.setScale(2) : usd).toPlainString();
  }

  @Command(name = "estimate", mixinStandardHelpOptions = true,
      description = "Cost of steady traffic on one model: per request, per day and per 30-day month.")
  static final class Estimate implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A model of the bundled price catalog")
    String model;

    @Option(names = "--rps", required = true, description = "Requests per second (may be fractional: 0.5)")
    BigDecimal rps;

    @Option(names = "--input-tokens", required = true, description = "Prompt tokens per request")
    long inputTokens;

    @Option(names = "--output-tokens", required = true, description = "Output tokens per request")
    long outputTokens;

    @Option(names = "--retry-rate", defaultValue = "0", description = "Extra attempts per request, e.g. 0.05 (default: 0)")
    BigDecimal retryRate;

    @Override
    public Integer call() {
      Optional<ModelPrice> price = price(model);
      if (price.isEmpty()) {
        return 1;
      }
      CostForecast f;
      try {
        f = CostForecast.estimate(price.get(), rps, inputTokens, outputTokens, retryRate);
      } catch (IllegalArgumentException | ArithmeticException e) {
        System.err.println("sluice: " + e.getMessage());
        return 1;
      }
      ModelPrice p = price.get();
      System.out.println("Model        " + model + " (catalog " + PriceCatalog.bundled().version()
          + (p.asOf() == null ? "" : ", price as of " + p.asOf()) + ")");
      System.out.println("Prices       " + price(p.inputPerMtok()) + " input, " + price(p.outputPerMtok())
          + " output per million tokens" + (p.tiers().isEmpty() ? "" : " (long-context tiers apply above "
          + p.tiers().get(0).aboveInputTokens() + " prompt tokens)"));
      System.out.println("Traffic      " + rps.toPlainString() + " requests/s, " + inputTokens + " input + "
          + outputTokens + " output tokens a request, retry rate " + retryRate.toPlainString());
      System.out.println("Per request  " + usd(f.perRequest()));
      System.out.println("Per day      " + usd(f.perDay()));
      System.out.println("Per month    " + usd(f.perMonth()) + " (" + CostForecast.DAYS_PER_MONTH + " days)");
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "What the traffic recorded in the ledger since a date would have cost on another model.")
  static final class Replay implements Callable<Integer> {
    @Option(names = "--since", required = true, paramLabel = "DATE",
        description = "From this UTC date (2026-01-31) or ISO-8601 time on")
    String since;

    @Option(names = "--as", required = true, paramLabel = "MODEL", description = "A model of the bundled price catalog")
    String as;

    @Option(names = "--store", paramLabel = "URL", description = "The store: sqlite:PATH or postgresql://... "
        + "(default: the config's store, else sqlite:./sluice.db)")
    String store;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Take the store from this config file")
    Path config;

    @Override
    public Integer call() {
      Optional<ModelPrice> price = price(as);
      if (price.isEmpty()) {
        return 1;
      }
      Instant from;
      try {
        from = since.strip().length() == 10 ? LocalDate.parse(since.strip()).atStartOfDay(ZoneOffset.UTC).toInstant()
            : OffsetDateTime.parse(since.strip()).toInstant();
      } catch (DateTimeParseException e) {
        System.err.println("sluice: --since must be a date (2026-01-31) or an ISO-8601 time, got '" + since + "'");
        return 2;
      }
      String url = store;
      if (url == null && config != null) {
        try {
          url = ConfigLoader.fromSystemEnv().load(config).storeUrl();
        } catch (ConfigException e) {
          System.err.println(e.getMessage());
          return 2;
        }
      }
      if (url == null) {
        url = "sqlite:./sluice.db";
      }
      if (url.startsWith("sqlite:") && !Files.exists(Path.of(url.substring("sqlite:".length())))) {
        System.err.println("sluice: no ledger at " + url.substring("sqlite:".length()));
        return 1;
      }
      List<LedgerRow> rows;
      try {
        rows = read(url, from);
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        System.err.println("sluice: could not read the ledger: " + cause.getMessage());
        return 1;
      }
      print(rows, from, price.get());
      return 0;
    }

    private static List<LedgerRow> read(String url, Instant from) throws Exception {
      // Opening a store logs its migrations at INFO: noise for a one-off report.
      if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
        logs.getLogger("org.flywaydb").setLevel(ch.qos.logback.classic.Level.WARN);
        logs.getLogger("dev.sluice.store").setLevel(ch.qos.logback.classic.Level.WARN);
      }
      Vertx vertx = Vertx.vertx();
      try {
        Store s = Store.open(vertx, url).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
          return s.ledger().rowsSince(from).toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
        } finally {
          s.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }

    private void print(List<LedgerRow> rows, Instant from, ModelPrice price) {
      SpendReplay replay = SpendReplay.of(rows, from, null, price);
      Table t = new Table("RECORDED MODEL", "ATTEMPTS", "INPUT TOKENS", "OUTPUT TOKENS", "RECORDED", "AS " + as);
      for (SpendReplay.TargetReplay g : replay.byTarget()) {
        t.row(g.target(), g.attempts(), g.inputTokens(), g.outputTokens(), usd(Micros.of(g.recordedMicros())),
            usd(Micros.of(g.replayedMicros())));
      }
      System.out.println("Ledger since " + from + ": " + replay.requests() + " requests, " + replay.attempts()
          + " attempts (retries, fallbacks, hedges and failed attempts included).");
      if (replay.attempts() > 0) {
        t.print(System.out);
      }
      System.out.println("Recorded cost       " + usd(Micros.of(replay.recordedMicros())));
      System.out.println("As " + as + " " + " ".repeat(Math.max(0, 16 - as.length()))
          + usd(Micros.of(replay.replayedMicros())));
      long diff = replay.differenceMicros();
      String pct = replay.differencePercent() == null ? "" : " (" + replay.differencePercent() + "%)";
      System.out.println("Difference          " + (diff >= 0 ? "+" : "-") + usd(Micros.of(Math.abs(diff))) + pct);
      if (replay.unpricedAttempts() > 0) {
        System.out.println("Note: " + replay.unpricedAttempts()
            + " recorded attempts had no known price; the recorded cost leaves them out.");
      }
    }
  }
}
