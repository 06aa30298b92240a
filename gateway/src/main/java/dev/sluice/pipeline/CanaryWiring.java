package dev.sluice.pipeline;

import dev.sluice.config.CanaryConfig;
import dev.sluice.config.ModelConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.routing.ModelEntry;
import dev.sluice.routing.Route;
import dev.sluice.routing.StickyKey;
import dev.sluice.store.CanaryRow;
import dev.sluice.store.Store;
import dev.sluice.switching.RequestFacts;
import dev.sluice.switching.canary.CanaryDirector;
import dev.sluice.switching.canary.CanaryPersistence;
import dev.sluice.switching.canary.CanaryPhase;
import dev.sluice.switching.canary.CanarySpec;
import dev.sluice.switching.canary.CanaryState;
import dev.sluice.switching.canary.CanaryWindow;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Canaries on the request path: the director built from the config (its states in Redis when
 * {@code redis:} is configured, else in this process and saved to the store), and the route of a
 * request diverted to its entry's canary — the canary's targets first, the entry's own after them
 * as fallbacks, so a request the canary fails is still answered.
 */
final class CanaryWiring {
  /** How often canaries are judged (steps due) and, with Redis, refreshed from what other replicas did. */
  static final long TICK_MILLIS = 1000;

  private CanaryWiring() {}

  static CanaryDirector director(SluiceConfig config, Ticker ticker, GatewayMetrics metrics, Store store, Redis redis) {
    List<CanarySpec> specs = new ArrayList<>();
    for (ModelConfig m : config.models()) {
      CanaryConfig c = m.canary();
      if (c != null) {
        specs.add(new CanarySpec(m.name(), c.model(), CanarySpec.ppm(c.start()), CanarySpec.ppm(c.step()),
            CanarySpec.ppm(c.max()), c.every().toMillis(), CanarySpec.ppm(c.errorRate()),
            c.p95Ttft() == null ? 0 : c.p95Ttft().toMillis(), c.minRequests()));
      }
    }
    LongSupplier clock = wallClock(ticker);
    CanaryDirector d = redis != null
        ? CanaryDirector.shared(specs, redis, clock, (spec, before, after) -> onTransition(metrics, spec, before, after))
        : CanaryDirector.local(specs, persistence(store), clock, (spec, before, after) -> onTransition(metrics, spec, before, after));
    for (CanarySpec s : specs) {
      metrics.canaryPercent(s.entry(), () -> d.sharePpm(s.entry()) / 10_000.0);
    }
    return d;
  }

  private static void onTransition(GatewayMetrics metrics, CanarySpec spec, CanaryState before, CanaryState after) {
    if (after.phase() == CanaryPhase.ROLLED_BACK && before.phase() != CanaryPhase.ROLLED_BACK) {
      metrics.canaryRollback(spec.entry());
    }
  }

  /**
   * Epoch milliseconds that move with {@code ticker}: the wall clock read once at start, plus the
   * ticker's progress since. Tests advance a fake ticker; canary times survive restarts and are
   * comparable across replicas.
   */
  static LongSupplier wallClock(Ticker ticker) {
    long baseMillis = System.currentTimeMillis();
    long baseNanos = ticker.nanos();
    return () -> baseMillis + (ticker.nanos() - baseNanos) / 1_000_000;
  }

  static CanaryPersistence persistence(Store store) {
    if (store == null) {
      return CanaryPersistence.NONE;
    }
    return new CanaryPersistence() {
      @Override
      public Future<Map<String, CanaryState>> loadAll() {
        return store.canaries().list().map(rows -> {
          Map<String, CanaryState> out = new HashMap<>();
          for (CanaryRow r : rows) {
            out.put(r.model(), new CanaryState(CanaryPhase.of(r.phase()), r.sharePpm(), r.stepStartedAt(),
                CanaryWindow.EMPTY, r.reason(), r.rolledBackAt(), r.fingerprint(), r.version()));
          }
          return out;
        });
      }

      @Override
      public Future<Void> save(String entry, CanaryState s) {
        return store.canaries().save(new CanaryRow(entry, s.fingerprint(), s.phase().wireName(), s.sharePpm(),
            s.stepStartedAt(), s.reason(), s.rolledBackAt(), s.version()));
      }
    };
  }

  /**
   * The request's route when it goes to its entry's canary, else null. A canary that cannot serve
   * the request (capabilities, a rejected parameter) leaves it on the entry's own route.
   */
  static Services.Resolved divert(Services s, String model, ChatRequest request, RequestFacts facts, StickyKey key,
      Route own) {
    CanaryDirector canaries = s.canaries();
    if (canaries == null || canaries.sharePpm(model) == 0) {
      return null; // not a model with a canary, or one at 0%: one map lookup
    }
    ModelEntry entry = s.router().entry(model);
    StickyKey k = entry != null && entry.sticky() ? key : null;
    String to = canaries.divert(model, k);
    if (to == null) {
      return null;
    }
    Optional<Route> canary = s.router().route(to, s.health().signals(), k);
    if (canary.isEmpty()) {
      return null;
    }
    List<Target> targets = new ArrayList<>(canary.get().targets());
    Set<String> labels = new HashSet<>();
    targets.forEach(t -> labels.add(t.label()));
    for (Target t : own.targets()) {
      if (labels.add(t.label())) {
        targets.add(t);
      }
    }
    try {
      List<Candidate> candidates = Candidate.forRoute(new Route(targets, own.unsupportedParams()), request, s.providers(),
          s.adaptations(), facts);
      return new Services.Resolved(s.planFor(model), candidates, canaries.tap(model, canary.get().targets()));
    } catch (FrontDoor.FrontDoorException notServable) {
      return null;
    }
  }

  /**
   * A request's conversation key: its {@code x-sluice-session} header, or else its {@code user}; null
   * for neither, and (without hashing anything) when it would change nothing: the model is not a
   * sticky entry with a choice to make (several targets, or a canary).
   */
  static StickyKey stickyKey(Services s, String model, String sessionHeader, ChatRequest request) {
    if (sessionHeader == null && request.body().user() == null) {
      return null;
    }
    ModelEntry entry = s.router().entry(model);
    if (entry == null || !entry.sticky() || (entry.targets().size() < 2 && s.canaries().sharePpm(model) == 0)) {
      return null;
    }
    StickyKey k = StickyKey.of(sessionHeader);
    return k != null ? k : StickyKey.of(request.body().user());
  }
}
