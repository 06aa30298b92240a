package dev.sluice.server;

import dev.sluice.config.ClientLimits;
import dev.sluice.config.ModelConfig;
import dev.sluice.config.ProviderConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.RequestJson;
import dev.sluice.core.Ticker;
import dev.sluice.extension.AdminMount;
import dev.sluice.extension.GatewayView;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.RequestObserver;
import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.observe.ledger.LedgerWriterOptions;
import dev.sluice.observe.ledger.RequestLogObserver;
import dev.sluice.observe.ledger.RetentionJob;
import dev.sluice.observe.stats.StatsAggregator;
import dev.sluice.observe.trace.OtelEnvironment;
import dev.sluice.observe.trace.Tracing;
import dev.sluice.pipeline.ProviderRuntime;
import dev.sluice.pipeline.RequestPipeline;
import dev.sluice.routing.ModelEntry;
import dev.sluice.server.anthropic.AnthropicFrontDoor;
import dev.sluice.server.responses.ResponsesFrontDoor;
import dev.sluice.server.responses.StoredResponses;
import dev.sluice.store.Store;
import dev.sluice.tenancy.ClientAuth;
import dev.sluice.upstream.OutboundGuard;
import dev.sluice.upstream.OutboundResolver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: turns a validated config into running providers, router and HTTP fronts
 * (one per core), and drains them on shutdown. Start and stop are the only blocking-free entry
 * points; everything is wired once here, nothing is looked up per request.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  /** The running config: the one started with, then each one a reload applied (see {@link #apply}). */
  private volatile SluiceConfig config;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final List<FrontVerticle> fronts = new ArrayList<>();
  /** Makes a provider callable from its config; owns the built-in mock upstreams it starts. */
  private final ProviderStarts providerStarts;
  private RequestPipeline pipeline;
  /** Everything that hears of each finished request (request log, stats rollups, GenAI metrics). */
  private RequestObserver observer = RequestObserver.NONE;
  /** OpenTelemetry traces, or {@link Tracing#OFF}; flushed in {@link #shutdown}. */
  private Tracing tracing = Tracing.OFF;
  private Store store;
  private LedgerWriter ledger;
  private RetentionJob retention;
  private StatsAggregator stats;
  private ClientAuth auth;
  private InfoHandlers info;
  private RunningGatewayView view;
  /** Null until {@link #configFile} names the file reloads read. */
  private volatile ConfigReloader reloader;
  private int port;

  private final Ticker ticker;

  private final List<AdminMount> admin;

  private Gateway(Vertx vertx, SluiceConfig config, Ticker ticker, List<AdminMount> admin) {
    this.vertx = vertx;
    this.config = config;
    this.ticker = ticker;
    this.admin = List.copyOf(admin);
    this.providerStarts = new ProviderStarts(vertx, ticker, frontInstances());
  }

  /** Starts a gateway; the future fails with a clear message when a provider cannot be set up. */
  public static Future<Gateway> start(Vertx vertx, SluiceConfig config) {
    return start(vertx, config, Ticker.system());
  }

  /** As {@link #start(Vertx, SluiceConfig)}, with the clock of breakers, budgets and cool-downs injected. */
  public static Future<Gateway> start(Vertx vertx, SluiceConfig config, Ticker ticker) {
    return start(vertx, config, ticker, List.of());
  }

  /** As {@link #start(Vertx, SluiceConfig, Ticker)}, with admin routes mounted on every front. */
  public static Future<Gateway> start(Vertx vertx, SluiceConfig config, Ticker ticker, List<AdminMount> admin) {
    return start(vertx, config, ticker, admin, RequestObserver.NONE);
  }

  /**
   * As {@link #start(Vertx, SluiceConfig, Ticker, List)}; {@code observer} hears of every finished
   * request too, on its event loop (it must return at once).
   */
  public static Future<Gateway> start(Vertx vertx, SluiceConfig config, Ticker ticker, List<AdminMount> admin,
      RequestObserver observer) {
    Gateway g = new Gateway(vertx, config, ticker, admin);
    g.observer = observer;
    return g.startStore().compose(v -> g.startProviders()).compose(v -> g.startTracing()).compose(v -> g.startFronts())
        .map(g);
  }

  public int port() {
    return port;
  }

  public List<String> modelNames() {
    return pipeline.router().models().stream().map(ModelEntry::name).toList();
  }

  public SluiceConfig config() {
    return config;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The HTTP routes every front serves, as {@code "METHOD path"} (see {@code FrontVerticle#routeTable}); for tests. */
  java.util.SortedSet<String> routeTable() {
    return fronts.get(0).routeTable();
  }

  /** Builds the OpenTelemetry SDK on a worker when the config or the OTEL_* environment asks for traces. */
  private Future<Void> startTracing() {
    var options = TracingSetup.options(config.observability());
    if (!Tracing.wanted(options, OtelEnvironment.system())) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      tracing = Tracing.start(options, OtelEnvironment.system());
      LOG.info("Tracing on: {}", options);
      return null;
    });
  }

  /** Opens the store (migrating it) and starts the ledger writer, replaying any journal left behind. */
  private Future<Void> startStore() {
    return Store.open(vertx, config.storeUrl()).compose(s -> {
      store = s;
      ledger = LedgerWriter.create(vertx, s.batches(), LedgerWriterOptions.defaults(journalDir(config.storeUrl())));
      LedgerWriter l = ledger;
      metrics.ledger(java.util.Map.of("written", l::written, "spilled", l::spilled, "replayed", l::replayed,
          "dropped", l::dropped), l::queued, l::overflowing, l::held, l::behind, l::storeHealthy, l::journalHealthy);
      // Stats rows are per replica: a random id per process (64 bits) keeps replicas from overwriting each other.
      String replica = java.util.HexFormat.of().toHexDigits(new java.security.SecureRandom().nextLong());
      stats = StatsAggregator.create(vertx, s.stats(), replica, java.time.Clock.systemUTC())
          .retainFor(config.observability().retention().stats());
      return ledger.start().map(v -> {
        // The request log: one row per finished request, through the ledger's writer; old rows aged out.
        observer = observer.andThen(new RequestLogObserver(ledger)).andThen(stats);
        stats.start(StatsAggregator.DEFAULT_FLUSH_INTERVAL);
        var ages = config.observability().retention();
        // The admin audit log, the shadow pairs and the stored responses' owners are kept as long as the ledger.
        retention = new RetentionJob(s.requests(), s.ledger(), RetentionJob.RowPurger.inTurn(s.audit()::deleteBefore,
            RetentionJob.RowPurger.inTurn(s.shadowPairs()::deleteBefore, s.storedResponses()::deleteBefore)),
            new RetentionJob.Ages(ages.requests(), ages.bodies(), ages.ledger()), java.time.Clock.systemUTC(),
            dev.sluice.observe.ledger.LedgerTimers.vertx(vertx), RetentionJob.Schedule.DEFAULT).start();
        return null;
      });
    });
  }

  /** The spill journal lives next to an SQLite file, or in the working directory for PostgreSQL. */
  static java.nio.file.Path journalDir(String storeUrl) {
    if (storeUrl.startsWith("sqlite:")) {
      java.nio.file.Path db = java.nio.file.Path.of(storeUrl.substring("sqlite:".length())).toAbsolutePath();
      return db.resolveSibling(db.getFileName() + ".journal");
    }
    return java.nio.file.Path.of("sluice-journal").toAbsolutePath();
  }

  public Store store() {
    return store;
  }

  public LedgerWriter ledger() {
    return ledger;
  }

  /** The request-log, bodies, ledger and audit-log retention job (tests run passes by hand). */
  public RetentionJob retention() {
    return retention;
  }

  /** This replica's stats rollups (flush them to see the latest in {@code /admin/stats}). */
  public StatsAggregator stats() {
    return stats;
  }

  private Future<Void> startProviders() {
    List<Future<ProviderRuntime>> runtimes = new ArrayList<>();
    for (ProviderConfig p : config.providers()) {
      runtimes.add(runtime(p));
    }
    return Future.all(runtimes).compose(all -> {
      List<ProviderRuntime> list = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        list.add(all.resultAt(i));
      }
      // On a worker: it reads the bundled price catalog and loads a few hundred classes, which on a
      // cold JVM held an event loop for 200-900 ms.
      return vertx.executeBlocking(() -> RequestPipeline.assemble(vertx, config, ticker, metrics, store, ledger, list));
    }).compose(p -> {
      pipeline = p;
      return p.start();
    });
  }

  private Future<ProviderRuntime> runtime(ProviderConfig p) {
    return providerStarts.start(p);
  }

  /** One front verticle, so one event loop serving clients, per CPU; upstream pools are split the same way. */
  private static int frontInstances() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private Future<Void> startFronts() {
    // The admission estimator's tokenizer tables take hundreds of milliseconds to build and are used on
    // the event loop: build them now, on a worker. (count_tokens builds its own lazily, on a worker.)
    return vertx.executeBlocking(() -> {
      // Only the tables the configured model names need: each holds 10-20 MB of heap.
      pipeline.warmUp(config.models().stream().map(ModelConfig::name).toList());
      return null;
    }).compose(v -> deployFronts());
  }

  private Future<Void> deployFronts() {
    // Request bodies are parsed with the client limits; provider answers keep Jackson's defaults.
    ClientLimits limits = config.server().clientLimits();
    RequestJson json = RequestJson.of(limits.maxJsonDepth(), limits.maxJsonNumberLength(), limits.maxJsonStringBytes());
    Handler<RoutingContext> chat = pipeline.chat(OpenAiFrontDoor.withLimits(json));
    AnthropicFrontDoor anthropicFront = new AnthropicFrontDoor(java.time.Clock.systemUTC(), json);
    Handler<RoutingContext> messages = pipeline.chat(anthropicFront);
    CountTokensHandler countTokens = new CountTokensHandler(vertx, anthropicFront);
    Handler<RoutingContext> embeddings = pipeline.embeddings(json);
    ResponsesFrontDoor responsesFront = new ResponsesFrontDoor(java.time.Clock.systemUTC(), json);
    StoredResponses stored = new StoredResponses(pipeline::providers, store.storedResponses(), java.time.Clock.systemUTC());
    Handler<RoutingContext> createResponse = pipeline.chat(responsesFront);
    dev.sluice.pipeline.AnswerTap recordStored = stored.recorder();
    ResponsesRoutes responses = new ResponsesRoutes(responsesFront, ctx -> {
      dev.sluice.pipeline.Exchange.of(ctx).answerTap(recordStored); // who created which stored response
      createResponse.handle(ctx);
    }, stored);
    long created = System.currentTimeMillis() / 1000;
    return ClientAuth.start(vertx, config, store, ticker, metrics).compose(auth -> {
      this.auth = auth;
      InfoHandlers info = new InfoHandlers(pipeline.router(), metrics, () -> !draining.get(), created,
          new MetricsAccess(config.server().metricsKey(), auth));
      this.info = info;
      return deployFronts(chat, messages, countTokens, embeddings, responses, info, auth);
    });
  }

  private Future<Void> deployFronts(Handler<RoutingContext> chat, Handler<RoutingContext> messages,
      CountTokensHandler countTokens, Handler<RoutingContext> embeddings, ResponsesRoutes responses, InfoHandlers info,
      ClientAuth auth) {
    if (!auth.enabled()) {
      LOG.warn("No client keys and no master key configured: the API accepts unauthenticated requests");
    }
    // What the admin API stores is screened by its text only; names are resolved when an alert is sent.
    OutboundGuard outbound = new OutboundGuard(config.outbound().trustedHosts(), OutboundResolver.system(vertx));
    RunningGatewayView view = new RunningGatewayView(config, pipeline, auth, store, outbound);
    view.reloads(trigger -> {
      ConfigReloader r = reloader;
      return r == null ? ConfigReloader.noFile() : r.reload(ConfigReloader.ADMIN);
    });
    this.view = view;
    FrontRoutes routes = new FrontRoutes(metrics, info, chat, messages, countTokens, embeddings, auth,
        config.server().maxBodyBytes(), admin, view, observer, tracing.tracer(), responses, ledger::refusal);
    int instances = frontInstances();
    ClientLimits limits = config.server().clientLimits();
    // One count of open connections for all the fronts: the caps are per gateway, not per event loop.
    ConnectionCaps caps = new ConnectionCaps(limits.maxConnections(), limits.maxConnectionsPerIp());
    // Servers of one Vert.x instance on the same host and port share one listening socket. Vert.x
    // does not share port 0 that way, so "any free port" is resolved to a concrete one first.
    // Probing for it opens a socket: done on a worker, never on the event loop that starts us.
    Future<Integer> port0 = config.server().port() == 0
        ? vertx.executeBlocking(() -> freePort(config.server().host()), false)
        : Future.succeededFuture(config.server().port());
    return port0.compose(listenPort -> vertx.deployVerticle(() -> {
      FrontVerticle front = new FrontVerticle(routes, config.server().host(), listenPort, limits, caps);
      synchronized (fronts) {
        fronts.add(front);
      }
      return front;
    }, new DeploymentOptions().setInstances(instances)).compose(id -> {
      port = fronts.get(0).actualPort();
      boolean shared = fronts.stream().allMatch(f -> f.actualPort() == port);
      return shared ? Future.<Void>succeededFuture() : Future.<Void>failedFuture("HTTP fronts did not share one port");
    }));
  }

  /** Exports the spans still buffered (every request has ended: the fronts drained), bounded in time. */
  private Future<Void> stopTracing() {
    if (!tracing.enabled()) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(tracing.shutdown(), vertx.getOrCreateContext())
        .timeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .recover(e -> {
          LOG.warn("Traces not all exported at shutdown: {}", e.toString());
          return Future.succeededFuture();
        });
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port on " + host, e);
    }
  }

  /**
   * Names the config file reloads read ({@code POST /admin/config/reload}, SIGHUP once
   * {@link #reloadOnHangup} is called, and with {@code server.config_watch: true} a change of the file,
   * checked every second), read with {@code loader} as at start, then passed through {@code overrides}
   * (what the command line changed after loading, such as {@code --port}). Blocking: reads the file
   * once when watching it. Call once, after start.
   */
  public Gateway configFile(java.nio.file.Path file, dev.sluice.config.ConfigLoader loader,
      java.util.function.UnaryOperator<SluiceConfig> overrides) {
    reloader = new ConfigReloader(vertx, file, loader, overrides, this::apply, store.audit(), java.time.Clock.systemUTC());
    if (config.server().configWatch()) {
      reloader.startWatching(ConfigReloader.WATCH_EVERY_MS);
    }
    return this;
  }

  /** A watch of the config file that reloads it on a change; its checks are the caller's to run (tests). */
  ConfigWatch watch() {
    return reloader.watch();
  }

  /**
   * Reloads the config file on SIGHUP too, until {@link #shutdown} (which gives SIGHUP back to the
   * handler it had); false, and nothing done, where the platform has no SIGHUP.
   */
  public boolean reloadOnHangup() {
    return java.util.Objects.requireNonNull(reloader, "configFile first").reloadOnHangup();
  }

  /**
   * Reloads the config file now, as {@code POST /admin/config/reload} does ({@code trigger} is the
   * audit log's actor); refused when no file was named ({@link #configFile}). Never fails.
   */
  public Future<dev.sluice.extension.ConfigReload> reload(String trigger) {
    ConfigReloader r = reloader;
    return r == null ? ConfigReloader.noFile() : r.reload(trigger);
  }

  /**
   * Applies a validated config: its live sections (models, targets, providers, keys, teams, limits,
   * prices) replace the running ones for requests that start from now on; the restart-only ones keep
   * their running value ({@link dev.sluice.config.ConfigChanges#needsRestart}). Providers new or
   * changed get a runtime (and pool) of their own; the others keep theirs. Fails, changing nothing,
   * when a provider cannot be set up.
   */
  Future<dev.sluice.config.ConfigChanges> apply(SluiceConfig loaded) {
    SluiceConfig running = config;
    dev.sluice.config.ConfigChanges changes = dev.sluice.config.ConfigChanges.between(running, loaded);
    SluiceConfig live = dev.sluice.config.ConfigChanges.live(running, loaded);
    java.util.Map<String, ProviderRuntime> now = pipeline.providerRuntimes();
    List<Future<ProviderRuntime>> runtimes = new ArrayList<>();
    for (ProviderConfig p : live.providers()) {
      boolean same = now.containsKey(p.name()) && running.provider(p.name()).filter(p::equals).isPresent();
      runtimes.add(same ? Future.succeededFuture(now.get(p.name())) : runtime(p));
    }
    return Future.all(runtimes).compose(all -> vertx.executeBlocking(() -> {
      List<ProviderRuntime> list = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        list.add(all.resultAt(i));
      }
      pipeline.warmUp(changes.models().added());
      pipeline.reload(live, list, ticker);
      auth.reloadKeys(live);
      config = live;
      view.reloaded(live);
      info.modelsChanged(pipeline.router());
      return changes;
    }, false));
  }

  /**
   * Graceful stop: readiness turns 503, the fronts stop accepting, in-flight requests and streams
   * get up to {@code grace} to finish, then providers close.
   */
  public Future<Void> shutdown(Duration grace) {
    draining.set(true);
    if (reloader != null) {
      reloader.close();
    }
    return Future.join(fronts.stream().map(f -> f.drain(grace.toMillis())).toList())
        .eventually(() -> auth == null ? Future.succeededFuture() : auth.close())
        .eventually(this::stopTracing)
        .eventually(() -> {
          if (retention != null) {
            retention.stop();
          }
          return Future.succeededFuture();
        })
        .eventually(() -> stats == null ? Future.succeededFuture() : stats.stop())
        .eventually(() -> ledger == null ? Future.succeededFuture() : ledger.flushAndStop(Duration.ofSeconds(10)))
        .eventually(() -> pipeline == null ? Future.succeededFuture() : pipeline.canaries().settled())
        .eventually(() -> store == null ? Future.succeededFuture() : store.close())
        .eventually(() -> pipeline == null ? Future.succeededFuture() : pipeline.close())
        .eventually(providerStarts::closeMocks)
        .mapEmpty();
  }
}
