package dev.sluice.pipeline;

import dev.sluice.billing.Accountant;
import dev.sluice.billing.AlertSender;
import dev.sluice.billing.Budgets;
import dev.sluice.billing.Pricing;
import dev.sluice.billing.SharedBudgets;
import dev.sluice.config.ModelConfig;
import dev.sluice.config.ReliabilityConfig;
import dev.sluice.config.SluiceConfig;
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
 * Immutable after {@link #assemble}; thread-safe. Lifecycle: {@link #close} after the fronts drained.
 */
public final class RequestPipeline {
  private final Services services;
  /** The pooled Redis client of rate limits and budgets; null without {@code redis:}. */
  private final Redis redis;
  /** Whose request and answer bodies the request log keeps. */
  private final BodyLogging bodyLogging;

  /** The response cache of the model entries that have one. */
  private final ResponseCaching caching;

  private RequestPipeline(Services services, Redis redis, BodyLogging bodyLogging, ResponseCaching caching) {
    this.services = services;
    this.redis = redis;
    this.bodyLogging = bodyLogging;
    this.caching = caching;
  }

  /** Wires the request path over {@code runtimes}, the configured providers ready to call. */
  public static RequestPipeline assemble(Vertx vertx, SluiceConfig config, Ticker ticker, GatewayMetrics metrics,
      Store store, LedgerWriter ledger, List<ProviderRuntime> runtimes) {
    Providers providers = new Providers(runtimes);
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
    ModelRouter router = new ModelRouter(entries, providers.names(), RoutingPolicy.weighted(ThreadLocalRandom::current),
        config.unsupportedParams());
    Map<String, ModelPlan> plans = new HashMap<>();
    for (ModelConfig m : config.models()) {
      plans.put(m.name(), ReliabilityWiring.plan(m.name(), m.reliability(), ticker));
    }
    Pricing pricing = Pricing.from(config, PriceCatalog.bundled());
    // One pooled Redis client serves rate limits and budgets alike.
    Redis redis = FlowWiring.redis(vertx, config.flow());
    TargetSignals signals = new TargetSignals(ticker, t -> pricing.blendedPerMtok(t));
    Services services = new Services(vertx, router, providers, ReliabilityWiring.health(config, ticker, metrics, signals),
        Map.copyOf(plans), ReliabilityWiring.plan("(direct)", ReliabilityConfig.defaults(), ticker), metrics,
        pricing, config.server().drainOnClientDisconnect(), FlowWiring.flowControl(vertx, config, ticker, metrics, redis),
        new Accountant(pricing, ledger, metrics, targetsOf(entries)), new Budgets(store, config,
            redis == null ? null : new SharedBudgets(redis), metrics, budgetAlerts(vertx, config)),
        adaptations.build(), CanaryWiring.director(config, ticker, metrics, store, redis),
        ShadowLauncher.from(config, redis, new ShadowRecorder(ledger, store.shadowPairs())));
    return new RequestPipeline(services, redis, BodyLogging.from(config),
        CacheWiring.caching(vertx, config, ticker, metrics, redis, ledger, services.accountant()));
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
    return services.router();
  }

  /** Every configured provider, ready to call (for routes that only pass through, such as stored responses). */
  public Collection<ProviderRuntime> providers() {
    return services.providers().all();
  }

  /** The prices attempts are charged at (config prices over the bundled catalog), for reports of cost. */
  public Pricing pricing() {
    return services.pricing();
  }

  /** The chat endpoint of one front door: parse, route, admit, execute, answer in that door's format. */
  public Handler<RoutingContext> chat(FrontDoor front) {
    return new InferenceHandler(front, services, bodyLogging, caching);
  }

  /** {@code POST /v1/embeddings}; bodies are parsed with {@code json}'s limits. */
  public Handler<RoutingContext> embeddings(dev.sluice.core.RequestJson json) {
    return new EmbeddingsHandler(services.router(), services.providers(), services.metrics(), json);
  }

  /**
   * Builds the tokenizers the admission estimate uses for these model names. Slow (hundreds of
   * milliseconds): call once at start, on a worker thread.
   */
  public void warmUp(Collection<String> modelNames) {
    services.flow().warmUp(modelNames);
  }

  /** Circuit breaker state per target ({@code provider/model} → CLOSED | OPEN | HALF_OPEN). */
  public Map<String, String> breakerStates() {
    Map<String, String> out = new TreeMap<>();
    services.health().breakers().snapshot().forEach((target, state) -> out.put(target, state.name()));
    return out;
  }

  /**
   * Every known target (configured ones, and any other that was called) with its breaker, adaptive
   * concurrency limit and in-flight count, cool-down, reported headroom and activity; by label.
   */
  public List<TargetReport> targetReports() {
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
      out.add(new TargetReport(t, state, state == dev.sluice.resilience.BreakerState.CLOSED ? null : r.openedAt(),
          state == dev.sluice.resilience.BreakerState.OPEN ? now.plus(probe) : null, breaker.totalOpenings(),
          limit.limit(), limit.inFlight(), cooling.isZero() ? null : now.plus(cooling), r.headroom(), r.attempts(),
          r.successes(), r.retries(), r.hedges(), r.fallbacks(), r.errors(), r.recent()));
    }
    return out;
  }

  /** Since when {@link #targetReports()} counts (the gateway's start). */
  public java.time.Instant countingSince() {
    return services.health().activity().since();
  }

  /**
   * Loads the canaries' states (requests go to no canary before) and starts judging them every
   * second. Call once, after {@link #assemble}.
   */
  public Future<Void> start() {
    if (services.canaries().isEmpty()) {
      return Future.succeededFuture();
    }
    return services.canaries().start().onSuccess(v -> canaryTimer = services.vertx().setPeriodic(
        CanaryWiring.TICK_MILLIS, id -> services.canaries().tick()));
  }

  private long canaryTimer = -1;

  /** The canaries and their states, for the admin API. */
  public dev.sluice.switching.canary.CanaryDirector canaries() {
    return services.canaries();
  }

  /** Closes the Redis client and the providers' connection pools. */
  public Future<Void> close() {
    if (canaryTimer >= 0) {
      services.vertx().cancelTimer(canaryTimer);
    }
    if (redis != null) {
      redis.close();
    }
    return services.providers().close();
  }
}
