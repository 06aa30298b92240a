package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.admin.AdminRoutes;
import dev.sluice.core.Ticker;
import dev.sluice.server.Gateway;
import java.util.List;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice serve}: runs the gateway until SIGTERM/SIGINT, then drains it. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the gateway (the bundled demo config when no -c is given).")
final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, description = "YAML config file (default: the bundled demo config)")
  Path config;

  @Option(names = "--port", description = "Port to listen on (overrides server.port)")
  Integer port;

  @Override
  public Integer call() throws Exception {
    SluiceConfig cfg;
    ConfigLoader loader = ConfigLoader.fromSystemEnv();
    try {
      cfg = config == null ? loader.loadDemo() : loader.load(config);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    if (port != null) {
      cfg = cfg.withPort(port);
    }
    Vertx vertx = Vertx.vertx();
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, cfg, Ticker.system(), List.of(new dev.sluice.console.ConsoleRoutes(), new AdminRoutes())).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("sluice: could not start: " + cause.getMessage());
      vertx.close();
      return 1;
    }
    if (config != null) {
      // Live reload of the file: POST /admin/config/reload, SIGHUP, and server.config_watch.
      Integer portOverride = port;
      gateway.configFile(config, loader, c -> portOverride == null ? c : c.withPort(portOverride));
      gateway.reloadOnHangup();
    }
    Duration grace = cfg.server().shutdownGrace();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drain(vertx, gateway, grace), "sluice-shutdown"));
    System.out.print(Banner.text(gateway, config == null));
    System.out.flush();
    return 0;
  }

  private static void drain(Vertx vertx, Gateway gateway, Duration grace) {
    try {
      gateway.shutdown(grace).toCompletionStage().toCompletableFuture()
          .get(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("sluice: shutdown did not finish cleanly: " + e);
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Exiting anyway.
    }
  }
}
