package dev.sluice.pipeline;

import dev.sluice.admission.AdaptiveLimit;
import dev.sluice.admission.AdaptiveLimits;
import dev.sluice.admission.AdmissionQueue;
import dev.sluice.admission.AdmissionTimers;
import dev.sluice.admission.FailureMode;
import dev.sluice.admission.InFlightGuard;
import dev.sluice.admission.LimitSpec;
import dev.sluice.admission.LocalRateLimiter;
import dev.sluice.admission.RateLimiter;
import dev.sluice.admission.RedisRateLimiter;
import dev.sluice.admission.TokenEstimator;
import dev.sluice.config.FlowConfig;
import dev.sluice.config.ModelConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TeamConfig;
import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import dev.sluice.observe.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds flow control from the config: local limits, or limits shared through Redis. */
final class FlowWiring {
  private static final Logger LOG = LoggerFactory.getLogger(FlowWiring.class);

  private FlowWiring() {}

  /** The gateway's pooled Redis client, or null when no {@code redis:} is configured. */
  static Redis redis(Vertx vertx, FlowConfig flow) {
    if (flow.redisUrl() == null) {
      return null;
    }
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(flow.redisUrl())
        .setMaxPoolSize(16).setMaxPoolWaiting(4096));
    // Open the pool's first connection now, so the first requests do not pay for it (a slow first
    // command would otherwise look like an unreachable Redis and switch to the failure mode).
    redis.connect().onSuccess(c -> c.close()).onFailure(e -> LOG.warn("Redis not reachable at start: {}", e.getMessage()));
    return redis;
  }

  static FlowControl flowControl(Vertx vertx, SluiceConfig config, Ticker ticker, GatewayMetrics metrics, Redis redis) {
    FlowConfig flow = config.flow();
    AdmissionQueue queue = new AdmissionQueue(flow.maxQueue(), flow.maxWait(), ticker, AdmissionTimers.vertx(vertx));
    AdaptiveLimits adaptive = new AdaptiveLimits(() -> AdaptiveLimit.gatewayDefault(ticker));
    FlowControl unlimited = new FlowControl(limiter(redis, flow, ticker, metrics), queue,
        new InFlightGuard(flow.maxInFlight()), adaptive, new TokenEstimator(), Map.of(), Map.of(), Map.of(), Map.of());
    FlowControl flowControl = reconfigured(unlimited, config);
    exportLimits(flowControl, config, metrics);
    return flowControl;
  }

  /**
   * Exports the adaptive concurrency limit of every target {@code config} routes to (at start and on
   * reloads; a target exported before stays exported). Only configured targets: a direct
   * {@code provider/model} request names a model the client chose, which must not become a label.
   */
  static void exportLimits(FlowControl flow, SluiceConfig config, GatewayMetrics metrics) {
    for (ModelConfig m : config.models()) {
      for (ModelConfig.TargetConfig t : m.targets()) {
        String label = Target.label(t.provider(), t.model());
        AdaptiveLimit limit = flow.adaptive(label);
        metrics.adaptiveLimit(label, limit::limit, limit::inFlight, () -> limit.cuts().latencyCuts(),
            () -> limit.cuts().dropCuts());
      }
    }
  }

  /** {@code running}'s admission with the team, model and target limits of {@code config} (start and reloads). */
  static FlowControl reconfigured(FlowControl running, SluiceConfig config) {
    Map<String, LimitSpec> teams = new HashMap<>();
    for (TeamConfig t : config.teams()) {
      teams.put(t.name(), FlowControl.spec(t.limits()));
    }
    Map<String, LimitSpec> models = new HashMap<>();
    Map<String, LimitSpec> targets = new HashMap<>();
    Map<String, Integer> maxTokens = new HashMap<>();
    for (ModelConfig m : config.models()) {
      models.put(m.name(), FlowControl.spec(m.limits()));
      maxTokens.put(m.name(), m.maxTokens());
      for (ModelConfig.TargetConfig t : m.targets()) {
        if (!t.limits().isNone()) {
          targets.putIfAbsent(Target.label(t.provider(), t.model()), FlowControl.spec(t.limits()));
        }
      }
    }
    return running.withLimits(teams, models, targets, maxTokens);
  }

  private static RateLimiter limiter(Redis redis, FlowConfig flow, Ticker ticker, GatewayMetrics metrics) {
    if (redis == null) {
      return new LocalRateLimiter(ticker);
    }
    FailureMode mode = switch (flow.redisOnFailure()) {
      case "fail-open" -> FailureMode.FAIL_OPEN;
      case "fail-closed" -> FailureMode.FAIL_CLOSED;
      default -> FailureMode.LOCAL;
    };
    return RedisRateLimiter.builder(redis).ticker(ticker).failureMode(mode).expectedReplicas(flow.expectedReplicas())
        .commandTimeout(java.time.Duration.ofMillis(500))
        .listener((m, cause) -> {
          metrics.redisMode(m == RedisRateLimiter.Mode.SHARED);
          if (m == RedisRateLimiter.Mode.SHARED) {
            LOG.info("Redis is back: rate limits are shared again");
          } else {
            LOG.warn("Redis unreachable ({}): rate limits now {}", cause == null ? "?" : cause.getMessage(),
                flow.redisOnFailure());
          }
        }).build();
  }
}
