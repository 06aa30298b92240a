package dev.sluice.server;

import dev.sluice.config.ConfigChanges;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.extension.ConfigReload;
import dev.sluice.store.audit.AuditEntry;
import dev.sluice.store.audit.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the gateway's config file: reads and validates it on a worker with the loader of the
 * start (a bad file changes nothing and says why), then hands the new config to the gateway. One
 * reload at a time: a reload asked for while one runs follows it. Each reload is logged on one line
 * (trigger, outcome, summary) and recorded in the admin audit log as {@code config.reload}, refused
 * ones too: a reload through {@code POST /admin/config/reload} by the admin API's own audit trail,
 * one from SIGHUP or the file watch here, with {@code sighup} or {@code config_watch} as its actor.
 * Thread-safe.
 */
final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
  /** The trigger of {@code POST /admin/config/reload}: audited by the admin API, not here. */
  static final String ADMIN = "admin";
  static final String ROUTE = "/admin/config/reload";

  private final Vertx vertx;
  private final Path file;
  private final ConfigLoader loader;
  private final UnaryOperator<SluiceConfig> overrides;
  private final Function<SluiceConfig, Future<ConfigChanges>> apply;
  private final AuditLog audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private Future<ConfigReload> last = Future.succeededFuture();
  private long watchTimer = -1;
  private HangupSignal hangup;

  /** How often {@code server.config_watch} looks at the file. */
  static final long WATCH_EVERY_MS = 1000;

  /**
   * @param overrides what the command line changed after loading (a {@code --port}), applied to each
   *     reloaded file too, so it does not read as a change
   * @param apply swaps the validated config in; fails, changing nothing, when it cannot
   */
  ConfigReloader(Vertx vertx, Path file, ConfigLoader loader, UnaryOperator<SluiceConfig> overrides,
      Function<SluiceConfig, Future<ConfigChanges>> apply, AuditLog audit, Clock clock) {
    this.vertx = vertx;
    this.file = file;
    this.loader = loader;
    this.overrides = overrides;
    this.apply = apply;
    this.audit = audit;
    this.clock = clock;
  }

  /** The answer when the gateway was started without a file to reload. */
  static Future<ConfigReload> noFile() {
    return Future.succeededFuture(ConfigReload.refused("(none)", List.of(new ConfigReload.Problem("",
        "this gateway was not started from a config file: nothing to reload"))));
  }

  Path file() {
    return file;
  }

  /** A watch of the file that reloads it on a change; nothing runs its checks (tests run them by hand). */
  ConfigWatch watch() {
    return new ConfigWatch(file, () -> reload("config_watch"));
  }

  /** Checks the file every {@code everyMs} on a worker ({@code server.config_watch}), until {@link #close}. */
  synchronized void startWatching(long everyMs) {
    ConfigWatch watch = watch();
    watchTimer = vertx.setPeriodic(everyMs, id -> vertx.executeBlocking(watch::check, false));
    LOG.info("Watching {} for changes", file);
  }

  /** Reloads on SIGHUP too, where the platform has it, until {@link #close}; false where it has none. */
  synchronized boolean reloadOnHangup() {
    hangup = HangupSignal.install(() -> reload("sighup"));
    return hangup != null;
  }

  /** Stops the watch and gives SIGHUP back to its previous handler. */
  synchronized void close() {
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
      watchTimer = -1;
    }
    if (hangup != null) {
      hangup.close();
      hangup = null;
    }
  }

  /** Reloads the file; {@code trigger}: {@value #ADMIN}, {@code sighup}, {@code config_watch}. Never fails. */
  synchronized Future<ConfigReload> reload(String trigger) {
    Future<ConfigReload> next = last.transform(ignored -> once(trigger));
    last = next;
    return next;
  }

  private Future<ConfigReload> once(String trigger) {
    String source = file.toString();
    return vertx.executeBlocking(() -> overrides.apply(loader.load(file)), false)
        .compose(apply)
        .map(changes -> new ConfigReload(true, source, changes.summary(), changes.toJson(), List.of()))
        .recover(e -> Future.succeededFuture(ConfigReload.refused(source, problems(e))))
        .compose(outcome -> {
          log(trigger, outcome);
          return ADMIN.equals(trigger) ? Future.succeededFuture(outcome) : audit(trigger, outcome).map(outcome);
        });
  }

  private static List<ConfigReload.Problem> problems(Throwable e) {
    if (e instanceof ConfigException c) {
      return c.problems().stream().map(p -> new ConfigReload.Problem(p.path(), p.message())).toList();
    }
    return List.of(new ConfigReload.Problem("", "the new config could not be applied: " + e.getMessage()));
  }

  private static void log(String trigger, ConfigReload outcome) {
    if (outcome.applied()) {
      LOG.info("Config reload ({}) of {}: applied; {}", trigger, outcome.source(), outcome.summary());
    } else {
      LOG.warn("Config reload ({}) of {}: refused, nothing changed; {}: {}", trigger, outcome.source(),
          outcome.summary(), outcome.problems().stream().map(p -> (p.path().isEmpty() ? "(root)" : p.path()) + ": "
              + p.message()).toList());
    }
  }

  /** The audit entry of a reload that did not come through the admin API. Never fails. */
  private Future<Void> audit(String trigger, ConfigReload outcome) {
    byte[] id = new byte[10];
    random.nextBytes(id);
    String error = outcome.applied() ? null : outcome.summary() + ": " + outcome.problems().stream()
        .map(p -> (p.path().isEmpty() ? "(root)" : p.path()) + ": " + p.message()).toList();
    if (error != null && error.length() > 1000) {
      error = error.substring(0, 1000) + "…";
    }
    AuditEntry entry = AuditEntry.pending("aud_" + HexFormat.of().formatHex(id), clock.instant(), trigger, null,
        "POST", ROUTE, ROUTE, "config.reload", file.getFileName().toString())
        .completed(file.getFileName().toString(), outcome.applied() ? 200 : 400, error, null,
            outcome.applied() ? outcome.changes().toString() : null);
    return audit.insert(entry).recover(e -> {
      LOG.warn("Audit entry of a config reload ({}) not written: {}", trigger, e.toString());
      return Future.succeededFuture();
    });
  }
}
