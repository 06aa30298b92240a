package dev.sluice.pipeline;

import dev.sluice.billing.Accountant;
import dev.sluice.billing.AlertSender;
import dev.sluice.billing.Budgets;
import dev.sluice.billing.Pricing;
import dev.sluice.billing.SharedBudgets;
import dev.sluice.config.ModelConfig;
import dev.sluice.config.ReliabilityConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import dev.sluice.cost.PriceCatalog;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.resilience.TargetSignals;
import dev.sluice.routing.ModelEntry;
import dev.sluice.routing.ModelRouter;
import dev.sluice.routing.RoutingPolicy;
import dev.sluice.store.Store;
import dev.sluice.switching.Adaptations;
import dev.sluice.upstream.OutboundClient;
import dev.sluice.upstream.OutboundGuard;
import dev.sluice.upstream.OutboundResolver;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The request path assembled once from the config, between the HTTP shell and the providers:
 * routing, target health, reliability plans, flow control, pricing, budgets and the accountant.
 * The server builds the provider runtimes, hands them in, and mounts the handlers this gives out.
 * Thread-safe. Lifecycle: {@link #close} after the fronts drained.
 *
 * <p>Config reloads: everything a request reads of the config is one immutable {@link Services},
 * held here in one swappable reference; a request reads it once, at entry, and runs to its end on
 * that snapshot (a reload that removes its model does not touch it). {@link #reload} builds the next
 * snapshot from the new config over the same long-lived state — target health, limiter counters
 * and queue, budget counters, canaries, shadows, the response cache — and swaps it in.
 */
public final class RequestPipeline {
  private final java.util.concurrent.atomic.AtomicReference<Services> current;
  /** The config of {@link #current}. */
  private volatile SluiceConfig config;
  /** Every provider runtime ever started, closed at {@link #close} (a reload retires, never closes, one in use). */
  private final List<ProviderRuntime> started = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The pooled Redis client of rate limits and budgets; null without {@code redis:}. */
  private final Redis redis;
  /** Whose request and answer bodies the request log keeps. */
  private final BodyLogging bodyLogging;

  /** The response cache of the model entries that have one. */
  private final ResponseCaching caching;

  private RequestPipeline(java.util.concurrent.atomic.AtomicReference<Services> current, SluiceConfig config,
      List<ProviderRuntime> runtimes, Redis redis, BodyLogging bodyLogging, ResponseCaching caching) {
    this.current = current;
    this.config = config;
    this.started.addAll(runtimes);
    this.redis = redis;
    this.bodyLogging = bodyLogging;
    this.caching = caching;
  }

  /** Wires the request path over {@code runtimes}, the configured providers ready to call. */
  public static RequestPipeline assemble(Vertx vertx, SluiceConfig config, Ticker ticker, GatewayMetrics metrics,
      Store store, LedgerWriter ledger, List<ProviderRuntime> runtimes) {
    java.util.concurrent.atomic.AtomicReference<Services> current = new java.util.concurrent.atomic.AtomicReference<>();
    Providers providers = new Providers(runtimes);
    Routing routing = routing(config);
    Map<String, ModelPlan> plans = new HashMap<>();
    for (ModelConfig m : config.models()) {
      plans.put(m.name(), ReliabilityWiring.plan(m.name(), m.reliability(), ticker));
    }
    Pricing pricing = Pricing.from(config, PriceCatalog.bundled());
    // One pooled Redis client serves rate limits and budgets alike.
    Redis redis = FlowWiring.redis(vertx, config.flow());
    // Cost routing reads the prices of the running config, whichever it is now.
    TargetSignals signals = new TargetSignals(ticker, t -> current.get().pricing().blendedPerMtok(t));
    Services services = new Services(vertx, routing.router(providers), providers,
        ReliabilityWiring.health(config, ticker, metrics, signals),
        Map.copyOf(plans), ReliabilityWiring.plan("(direct)", ReliabilityConfig.defaults(), ticker), metrics,
        pricing, config.server().drainOnClientDisconnect(), FlowWiring.flowControl(vertx, config, ticker, metrics, redis),
        new Accountant(pricing, ledger, metrics, targetsOf(routing.entries())), new Budgets(store, config,
            redis == null ? null : new SharedBudgets(redis), metrics, budgetAlerts(vertx, config)),
        routing.adaptations(), CanaryWiring.director(config, ticker, metrics, store, redis),
        ShadowLauncher.from(config, redis, new ShadowRecorder(ledger, store.shadowPairs())));
    current.set(services);
    return new RequestPipeline(current, config, runtimes, redis, BodyLogging.from(config),
        CacheWiring.caching(vertx, config, ticker, metrics, redis, ledger, services.accountant()));
  }

  /** The model entries and per-target adaptations of a config. */
  private record Routing(List<ModelEntry> entries, Adaptations adaptations, ParamPolicy directParams) {
    ModelRouter router(Providers providers) {
      return new ModelRouter(entries, providers.names(), RoutingPolicy.weighted(ThreadLocalRandom::current),
          directParams);
    }
  }

  private static Routing routing(SluiceConfig config) {
    List<ModelEntry> entries = new ArrayList<>();
    Adaptations.Builder adaptations = AdaptationWiring.builder(config);
    for (ModelConfig m : config.models()) {
      List<Target> targets = new ArrayList<>();
      for (ModelConfig.TargetConfig t : m.targets()) {
        Target target = new Target(t.provider(), t.model(), t.weight(), m.maxTokens(), t.disabled(), t.autoCache());
        AdaptationWiring.add(adaptations, target, t.adaptation());
        targets.add(target);
      }
      entries.add(new ModelEntry(m.name(), targets,
          m.unsupportedParams() == null ? config.unsupportedParams() : m.unsupportedParams(),
          RoutingPolicy.byName(m.reliability().routing(), ThreadLocalRandom::current), m.sticky()));
    }
    return new Routing(entries, adaptations.build(), config.unsupportedParams());
  }

  /**
   * Swaps in the request path of {@code next}, a validated config whose restart-only sections are the
   * running ones ({@code ConfigChanges.live}), over {@code runtimes}: the providers {@code next}
   * names, ready to call (the unchanged ones the same runtimes as before). Requests that started
   * before keep the snapshot they read. Model entries whose reliability settings did not change keep
   * their plans (latency histogram, hedge budget); targets whose settings changed start over
   * ({@link ReliabilityWiring#reconfigure}). Call off the event loop (it reads the price catalog),
   * one reload at a time. Returns the labels of the targets that started over.
   */
  public synchronized java.util.Set<String> reload(SluiceConfig next, List<ProviderRuntime> runtimes, Ticker ticker) {
    Services running = current.get();
    SluiceConfig was = config;
    Providers providers = new Providers(runtimes);
    runtimes.stream().filter(r -> !started.contains(r)).forEach(started::add);
    Routing routing = routing(next);
    Map<String, ModelPlan> plans = new HashMap<>();
    for (ModelConfig m : next.models()) {
      ModelConfig before = was.models().stream().filter(b -> b.name().equals(m.name())).findFirst().orElse(null);
      ModelPlan kept = running.plans().get(m.name());
      plans.put(m.name(), before != null && kept != null && before.reliability().equals(m.reliability()) ? kept
          : ReliabilityWiring.plan(m.name(), m.reliability(), ticker));
    }
    Pricing pricing = Pricing.from(next, PriceCatalog.bundled());
    java.util.Set<String> restarted = ReliabilityWiring.reconfigure(running.health(), was, next, running.metrics());
    Services services = new Services(running.vertx(), routing.router(providers), providers, running.health(),
        Map.copyOf(plans), running.directPlan(), running.metrics(), pricing, running.drainOnClientDisconnect(),
        FlowWiring.reconfigured(running.flow(), next),
        running.accountant().withPrices(pricing, targetsOf(routing.entries())),
        running.budgets().reconfigured(was, next), routing.adaptations(), running.canaries(), running.shadows());
    FlowWiring.exportLimits(services.flow(), next, running.metrics());
    config = next;
    current.set(services);
    return restarted;
  }

  /** The providers running now, by name. */
  public Map<String, ProviderRuntime> providerRuntimes() {
    Map<String, ProviderRuntime> out = new java.util.LinkedHashMap<>();
    for (String name : current.get().providers().names()) {
      out.put(name, current.get().providers().get(name));
    }
    return out;
  }

  /** A model entry's configured targets, in config order (the routing savings' baseline is the first). */
  private static java.util.function.Function<String, List<Target>> targetsOf(List<ModelEntry> entries) {
    Map<String, List<Target>> byName = new HashMap<>();
    entries.forEach(e -> byName.put(e.name(), e.targets()));
    return name -> byName.getOrDefault(name, List.of());
  }

  /**
   * Budget alerts go out through the outbound guard: a webhook from the config file as written, any
   * other (set through the admin API) only to a public address, or a host of {@code outbound.trusted_hosts}.
   */
  private static AlertSender budgetAlerts(Vertx vertx, SluiceConfig config) {
    OutboundClient out = new OutboundClient(vertx,
        new OutboundGuard(config.outbound().trustedHosts(), OutboundResolver.system(vertx)));
    return (url, fromConfig, alert) -> fromConfig ? out.postAsConfigured(url, alert.toBuffer(), "application/json")
        : out.post(url, alert.toBuffer(), "application/json");
  }

  public ModelRouter router() {
    return current.get().router();
  }

  /** Every configured provider, ready to call (for routes that only pass through, such as stored responses). */
  public Collection<ProviderRuntime> providers() {
    return current.get().providers().all();
  }

  /** The prices attempts are charged at (config prices over the bundled catalog), for reports of cost. */
  public Pricing pricing() {
    return current.get().pricing();
  }

  /** The chat endpoint of one front door: parse, route, admit, execute, answer in that door's format. */
  public Handler<RoutingContext> chat(FrontDoor front) {
    return new InferenceHandler(front, current::get, bodyLogging, caching);
  }

  /** {@code POST /v1/embeddings}; bodies are parsed with {@code json}'s limits. */
  public Handler<RoutingContext> embeddings(dev.sluice.core.RequestJson json) {
    return new EmbeddingsHandler(current::get, json);
  }

  /**
   * Builds the tokenizers the admission estimate uses for these model names. Slow (hundreds of
   * milliseconds): call once at start, on a worker thread.
   */
  public void warmUp(Collection<String> modelNames) {
    current.get().flow().warmUp(modelNames);
  }

  /** Circuit breaker state per target ({@code provider/model} → CLOSED | OPEN | HALF_OPEN). */
  public Map<String, String> breakerStates() {
    Map<String, String> out = new TreeMap<>();
    current.get().health().breakers().snapshot().forEach((target, state) -> out.put(target, state.name()));
    return out;
  }

  /**
   * Every known target (configured ones, and any other that was called) with its breaker, adaptive
   * concurrency limit and in-flight count, cool-down, reported headroom and activity; by label.
   */
  public List<TargetReport> targetReports() {
    Services services = current.get();
    TargetHealth health = services.health();
    java.time.Instant now = health.activity().now();
    List<TargetReport> out = new ArrayList<>();
    for (TargetActivity.Recorded r : health.activity().snapshot()) {
      Target t = r.target();
      var breaker = health.breaker(t);
      var state = breaker.state();
      java.time.Duration probe = breaker.remainingCooldown();
      java.time.Duration cooling = health.cooldowns().remaining(t);
      var limit = services.flow().adaptive(t.label());
      var latency = limit.latency();
      var cuts = limit.cuts();
      var last = cuts.last();
      var concurrency = new TargetReport.Concurrency(limit.limit(), limit.inFlight(), latency.baselineNanos(),
          latency.smoothedNanos(), cuts.latencyCuts(), cuts.dropCuts(), last == null ? null
              : new TargetReport.Cut(last.cause().name().toLowerCase(java.util.Locale.ROOT), last.from(), last.to(),
                  last.inFlight(), now.minusNanos(last.agoNanos())));
      out.add(new TargetReport(t, state, state == dev.sluice.resilience.BreakerState.CLOSED ? null : r.openedAt(),
          state == dev.sluice.resilience.BreakerState.OPEN ? now.plus(probe) : null, breaker.totalOpenings(),
          concurrency, cooling.isZero() ? null : now.plus(cooling), r.headroom(), r.attempts(),
          r.successes(), r.retries(), r.hedges(), r.fallbacks(), r.errors(), r.recent()));
    }
    return out;
  }

  /** Since when {@link #targetReports()} counts (the gateway's start). */
  public java.time.Instant countingSince() {
    return current.get().health().activity().since();
  }

  /**
   * Loads the canaries' states (requests go to no canary before) and starts judging them every
   * second. Call once, after {@link #assemble}.
   */
  public Future<Void> start() {
    if (current.get().canaries().isEmpty()) {
      return Future.succeededFuture();
    }
    return current.get().canaries().start().onSuccess(v -> canaryTimer = current.get().vertx().setPeriodic(
        CanaryWiring.TICK_MILLIS, id -> current.get().canaries().tick()));
  }

  private long canaryTimer = -1;

  /** The canaries and their states, for the admin API. */
  public dev.sluice.switching.canary.CanaryDirector canaries() {
    return current.get().canaries();
  }

  /** Closes the Redis client and the providers' connection pools. */
  public Future<Void> close() {
    if (canaryTimer >= 0) {
      current.get().vertx().cancelTimer(canaryTimer);
    }
    if (redis != null) {
      redis.close();
    }
    return Future.join(started.stream().map(p -> p.client().close()).toList()).mapEmpty();
  }
}
