package dev.sluice.billing;

import dev.sluice.admission.AdmissionRefusal;
import dev.sluice.config.BudgetConfig;
import dev.sluice.config.KeyConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.TeamConfig;
import dev.sluice.core.ApiError;
import dev.sluice.cost.Micros;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.store.Store;
import dev.sluice.tenancy.Principal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key and team budgets: each request reserves its worst-case cost on every budget it falls under
 * before any provider is called, and settles on its actual cost when it ends, so concurrent requests
 * cannot together overspend a hard budget. A soft budget never refuses; crossing one of its alert
 * thresholds POSTs a JSON alert to its webhook, once per threshold and period, through the
 * {@link AlertSender}: a webhook written in the config file is sent as is, any other (a team's set
 * through the admin API) passes the outbound guard at send time. Spend already in the ledger for the
 * current period is loaded on first use. Thread-safe.
 */
public final class Budgets {
  private static final Logger LOG = LoggerFactory.getLogger(Budgets.class);

  private final Store store;
  private final Map<String, BudgetConfig> teamBudgets;
  private final Map<String, Future<BudgetCounter>> counters;
  private final Set<String> alerted;
  private final AlertSender alerts;
  /** The webhook URLs written in the config file: trusted as is; any other URL passes the guard. */
  private final Set<String> configuredWebhooks;
  private final GatewayMetrics metrics;

  /** Null without Redis: budgets are then enforced by this replica alone. */
  private final SharedBudgets shared;

  public Budgets(Store store, SluiceConfig config, SharedBudgets shared, GatewayMetrics metrics, AlertSender alerts) {
    this(store, config, shared, metrics, alerts, new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet(),
        new ConcurrentHashMap<>());
  }

  private Budgets(Store store, SluiceConfig config, SharedBudgets shared, GatewayMetrics metrics, AlertSender alerts,
      Map<String, Future<BudgetCounter>> counters, Set<String> alerted, Map<String, Future<BudgetConfig>> storedTeams) {
    this.counters = counters;
    this.alerted = alerted;
    this.storedTeams = storedTeams;
    this.shared = shared;
    this.metrics = metrics;
    this.store = store;
    Map<String, BudgetConfig> teams = new java.util.HashMap<>();
    for (TeamConfig t : config.teams()) {
      if (t.budget() != null) {
        teams.put(t.name(), t.budget());
      }
    }
    this.teamBudgets = Map.copyOf(teams);
    Set<String> hooks = new java.util.HashSet<>();
    teams.values().forEach(b -> addWebhook(hooks, b));
    for (KeyConfig k : config.keys()) {
      addWebhook(hooks, k.budget());
    }
    this.configuredWebhooks = Set.copyOf(hooks);
    this.alerts = alerts;
  }

  private static void addWebhook(Set<String> hooks, BudgetConfig b) {
    if (b != null && b.alertWebhook() != null) {
      hooks.add(b.alertWebhook());
    }
  }

  /**
   * One budget a request falls under, and what it reserved there.
   *
   * @param sharedKey the Redis key of the budget when the hold is shared, else null
   */
  public record Hold(String scope, String id, BudgetConfig config, BudgetCounter counter, long reserved, String sharedKey,
      String holdId) {
    Hold(String scope, String id, BudgetConfig config, BudgetCounter counter, long reserved) {
      this(scope, id, config, counter, reserved, null, null);
    }
  }

  /**
   * Reserves {@code worstCase} micro-USD on the caller's key and team budgets; fails with a 429
   * {@code budget_exceeded} when a hard budget has no room (nothing is then reserved anywhere).
   */
  public Future<List<Hold>> reserve(Principal who, long worstCase) {
    if (shared == null) {
      List<Hold> ready = loadedHolds(who);
      if (ready != null) {
        return reserveLocal(ready, worstCase);
      }
    }
    List<Future<Hold>> wanted = new ArrayList<>(2);
    if (who.budget() != null) {
      wanted.add(counter("key", who.name(), who.budget()).map(c -> new Hold("key", who.name(), who.budget(), c, 0)));
    }
    if (who.team() != null) {
      wanted.add(teamBudget(who.team()).compose(team -> team == null ? Future.succeededFuture((Hold) null)
          : counter("team", who.team(), team).map(c -> new Hold("team", who.team(), team, c, 0))));
    }
    if (wanted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Future.all(wanted).compose(all -> shared != null ? reserveShared(all.list(), worstCase)
        : reserveLocal(all.list(), worstCase));
  }

  /**
   * The request's budgets (null entries: none) when everything they need is already loaded, else
   * null: the first request of a key or team loads its counter through {@link #counter}. Lets every
   * later request reserve without a chain of futures (one per budget, a join and a composition) on
   * the event loop; the budgets and the order they are reserved in are the same.
   */
  private List<Hold> loadedHolds(Principal who) {
    Hold key = null;
    if (who.budget() != null) {
      BudgetCounter c = loaded(counters.get(counterId("key", who.name())));
      if (c == null) {
        return null;
      }
      key = new Hold("key", who.name(), who.budget(), c, 0);
    }
    Hold team = null;
    if (who.team() != null) {
      BudgetConfig config = teamBudgets.get(who.team());
      if (config == null) {
        Future<BudgetConfig> stored = storedTeams.get(who.team());
        if (stored == null || !stored.succeeded()) {
          return null;
        }
        config = stored.result();
      }
      if (config != null) {
        BudgetCounter c = loaded(counters.get(counterId("team", who.team())));
        if (c == null) {
          return null;
        }
        team = new Hold("team", who.team(), config, c, 0);
      }
    }
    return key == null ? team == null ? List.of() : List.of(team) : team == null ? List.of(key) : List.of(key, team);
  }

  private static BudgetCounter loaded(Future<BudgetCounter> f) {
    return f != null && f.succeeded() ? f.result() : null;
  }

  /** {@code scope + ":" + id}, the counters' key, made once per budget rather than per request. */
  private String counterId(String scope, String id) {
    Map<String, String> ids = "key".equals(scope) ? keyIds : teamIds;
    String made = ids.get(id);
    return made != null ? made : ids.computeIfAbsent(id, i -> scope + ":" + i);
  }

  /** Counter ids by key name and by team name (bounded by the keys and teams there are). */
  private final Map<String, String> keyIds = new ConcurrentHashMap<>();
  private final Map<String, String> teamIds = new ConcurrentHashMap<>();

  /**
   * Reserves on each hard budget in Redis, one after the other; a refusal gives back what the
   * earlier ones took. If Redis fails, this replica's own counters decide instead (logged).
   */
  private Future<List<Hold>> reserveShared(List<Hold> wanted, long worstCase) {
    List<Hold> held = new ArrayList<>();
    Future<Boolean> chain = Future.succeededFuture(true);
    Instant now = Instant.now();
    for (Hold h : wanted) {
      if (h == null) {
        continue;
      }
      chain = chain.compose(ok -> {
        if (!ok) {
          return Future.succeededFuture(false);
        }
        if (!h.config().hard()) {
          held.add(h);
          return Future.succeededFuture(true);
        }
        String key = "sluice:budget:" + h.scope() + ":" + h.id() + ":" + h.counter().periodStart().toEpochMilli();
        String holdId = java.util.UUID.randomUUID().toString();
        long keepMs = Duration.ofDays(h.config().period().equals("daily") ? 2 : 40).toMillis();
        return shared.tryReserve(key, h.counter().limitMicros(), worstCase, holdId, h.counter().spent(now), keepMs)
            .map(admitted -> {
              if (admitted) {
                held.add(new Hold(h.scope(), h.id(), h.config(), h.counter(), worstCase, key, holdId));
              } else {
                held.forEach(prev -> release(prev));
                throw exceeded(h, worstCase, now);
              }
              return true;
            });
      });
    }
    return chain.map(v -> (List<Hold>) held).recover(e -> {
      if (e instanceof AdmissionRefusal) {
        return Future.failedFuture(e);
      }
      LOG.warn("Redis unavailable for budgets ({}): this replica's counters decide", e.getMessage());
      held.forEach(this::release);
      return reserveLocal(wanted, worstCase);
    });
  }

  private Future<List<Hold>> reserveLocal(List<Hold> wanted, long worstCase) {
    Instant now = Instant.now();
    List<Hold> held = new ArrayList<>(wanted.size());
    for (Hold h : wanted) {
      if (h == null) {
        continue;
      }
      if (h.config().hard() && !h.counter().tryReserve(worstCase, now)) {
        held.forEach(prev -> prev.counter().settle(prev.reserved(), 0, now));
        return Future.failedFuture(exceeded(h, worstCase, now));
      }
      held.add(new Hold(h.scope(), h.id(), h.config(), h.counter(), h.config().hard() ? worstCase : 0));
    }
    return Future.succeededFuture(held);
  }

  private void release(Hold h) {
    if (h.sharedKey() != null) {
      shared.settle(h.sharedKey(), h.holdId(), 0);
    }
  }

  /** Replaces the holds by the request's actual cost, and sends soft-budget alerts it crossed. */
  public void settle(List<Hold> holds, long actualMicros) {
    Instant now = Instant.now();
    for (Hold h : holds) {
      if (h.sharedKey() != null) {
        h.counter().settle(0, actualMicros, now); // this replica's view, for headers and fallback
        shared.settle(h.sharedKey(), h.holdId(), actualMicros)
            .onSuccess(after -> alertIfCrossed(h, after - actualMicros, after))
            .onFailure(e -> LOG.warn("Redis budget settle failed: {}", e.getMessage()));
        continue;
      }
      long before = h.counter().spent(now);
      long after = h.counter().settle(h.reserved(), actualMicros, now);
      alertIfCrossed(h, before, after);
    }
  }

  /** What the caller's key has spent in its budget period; -1 when the key has no budget. */
  public long keySpend(Principal who) {
    Future<BudgetCounter> f = who.budget() == null ? null : counters.get(counterId("key", who.name()));
    return f == null || !f.succeeded() ? -1 : f.result().spent(Instant.now());
  }

  private final Map<String, Future<BudgetConfig>> storedTeams;

  /**
   * After a config reload: the same spend counters, alerts sent and stored teams, with the team
   * budgets and webhooks of {@code next}. A key or team of the config file whose budget changed
   * (or went) starts a new counter, loaded from the ledger on its next request; the others keep
   * counting. Requests in flight settle on the counters they reserved on.
   */
  public Budgets reconfigured(SluiceConfig running, SluiceConfig next) {
    Map<String, BudgetConfig> before = new java.util.HashMap<>();
    running.keys().forEach(k -> before.put("key:" + k.name(), k.budget()));
    running.teams().forEach(t -> before.put("team:" + t.name(), t.budget()));
    Map<String, BudgetConfig> after = new java.util.HashMap<>();
    next.keys().forEach(k -> after.put("key:" + k.name(), k.budget()));
    next.teams().forEach(t -> after.put("team:" + t.name(), t.budget()));
    before.forEach((scope, budget) -> {
      if (!java.util.Objects.equals(budget, after.get(scope))) {
        counters.remove(scope);
      }
    });
    return new Budgets(store, next, shared, metrics, alerts, counters, alerted, storedTeams);
  }

  /** A team's budget: from the config, else from a team created through the admin API (loaded once). */
  private Future<BudgetConfig> teamBudget(String team) {
    BudgetConfig configured = teamBudgets.get(team);
    if (configured != null) {
      return Future.succeededFuture(configured);
    }
    return onCaller(storedTeams.computeIfAbsent(team, t -> store.teams().find(t).map(found -> found
        .filter(x -> x.budget() != null)
        .map(x -> new BudgetConfig(Micros.of(x.budget().micros()).toUsd(), x.budget().period().name().toLowerCase(
            java.util.Locale.ROOT), x.budget().mode().wire(), x.alertWebhook(),
            x.alertThresholds() == null || x.alertThresholds().isEmpty() ? List.of(0.5, 0.8, 1.0)
                : x.alertThresholds().stream().map(p -> p / 100.0).toList()))
        .orElse(null))));
  }

  private Future<BudgetCounter> counter(String scope, String id, BudgetConfig config) {
    return onCaller(counters.computeIfAbsent(counterId(scope, id), k -> {
      long limit = Micros.ofUsd(config.usd()).value();
      Instant now = Instant.now();
      return store.ledger().spentMicros(scope, id, BudgetCounter.periodStart(config.period(), now))
          .map(spent -> {
            BudgetCounter c = new BudgetCounter(limit, config.period(), spent, now);
            metrics.budgetUsage(scope, id, () -> limit == 0 ? 1.0 : (double) c.spent(Instant.now()) / limit);
            return c;
          });
    }));
  }

  /**
   * {@code cached} as seen from the calling thread. A cached future is bound to the context of the
   * request that first loaded it, and Vert.x runs every callback chained on it (here: the rest of
   * the request's pipeline) on that context's event loop: every later request accepted on another
   * loop would hop there and back (two wake-ups per request, one per streamed event; bench/results/latency-findings.md).
   * A loaded value comes back as a context-free future, whose callbacks run on the caller's thread;
   * one still loading completes on the caller's context.
   */
  static <T> Future<T> onCaller(Future<T> cached) {
    if (cached.succeeded()) {
      return Future.succeededFuture(cached.result());
    }
    if (cached.failed()) {
      return Future.failedFuture(cached.cause());
    }
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    cached.onComplete(ar -> {
      if (caller == null || Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  private static AdmissionRefusal exceeded(Hold h, long worstCase, Instant now) {
    long spent = h.counter().spent(now);
    String message = "Budget exceeded: " + h.scope() + " '" + h.id() + "' has a " + h.config().period() + " budget of $"
        + Micros.of(h.counter().limitMicros()).toUsdString() + ", has spent $" + Micros.of(spent).toUsdString()
        + ", and this request may cost up to $" + Micros.of(worstCase).toUsdString();
    Instant reset = switch (h.config().period()) {
      case "daily" -> h.counter().periodStart().plus(Duration.ofDays(1));
      case "monthly" -> h.counter().periodStart().atZone(java.time.ZoneOffset.UTC).plusMonths(1).toInstant();
      default -> null;
    };
    return new AdmissionRefusal(new ApiError(429, "budget_exceeded", "budget_exceeded", null, message), Map.of(),
        reset == null ? Duration.ofDays(1) : Duration.between(now, reset));
  }

  private void alertIfCrossed(Hold h, long before, long after) {
    if (h.config().alertWebhook() == null) {
      return;
    }
    long limit = h.counter().limitMicros();
    for (double t : h.config().alertThresholds()) {
      long mark = (long) Math.ceil(t * limit);
      String once = h.scope() + ":" + h.id() + ":" + h.counter().periodStart() + ":" + t;
      if (before < mark && after >= mark && alerted.add(once)) {
        JsonObject alert = new JsonObject().put("type", "budget_threshold").put("scope", h.scope()).put("id", h.id())
            .put("threshold", t).put("period", h.config().period())
            .put("budget_usd", Micros.of(limit).toUsdString()).put("spent_usd", Micros.of(after).toUsdString());
        String url = h.config().alertWebhook();
        alerts.send(url, configuredWebhooks.contains(url), alert)
            .onFailure(e -> LOG.warn("budget alert ({} '{}' at {}%) not delivered: {}", h.scope(), h.id(),
                Math.round(t * 100), e.getMessage()));
      }
    }
  }
}
