package dev.sluice.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.SpendReports;
import dev.sluice.config.BudgetConfig;
import dev.sluice.core.ApiError;
import dev.sluice.core.Json;
import dev.sluice.observe.ledger.RequestLogParams;
import dev.sluice.observe.ledger.RequestLogViews;
import dev.sluice.store.stats.StatsParams;
import dev.sluice.pipeline.Exchange;
import dev.sluice.store.requestlog.RequestQuery;
import dev.sluice.store.SpendQuery;
import dev.sluice.store.Store;
import dev.sluice.store.StoredKey;
import dev.sluice.store.stats.StatsDimension;
import dev.sluice.tenancy.Principal;
import dev.sluice.tenancy.StoredPrincipals;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What a client key may read about itself, with its own key (never the master key's power):
 * {@code GET /v1/sluice/key} (its name, team, models, limits, budget and this period's spend) and
 * {@code GET /v1/sluice/spend?group_by=model|day} (its own ledger rows, grouped), and
 * {@code GET /v1/sluice/requests[/{id}]} (its own requests in the request log; another key's
 * request is a 404, as if it did not exist), and {@code GET /v1/sluice/stats} (its own time series
 * from the stats rollups, as {@code /admin/stats} answers them, without key or team). Every answer is
 * scoped to the authenticated {@link Principal}: no parameter names another key or team, and there
 * is no write route — team, budget, models and limits change only through the admin API.
 *
 * <p>Spend and requests are attributed by key name (the ledger's {@code key_name}): keys that share a name, such
 * as an old and a new key during a rotation, share their spend. Stateless; thread-safe.
 */
final class TenantRoutes {
  private static final Set<String> GROUPS = Set.of("model", "day");

  private final Store store;
  private final Clock clock;

  TenantRoutes(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void key(RoutingContext ctx) {
    Principal who = ctx.get(Principal.KEY);
    Exchange ex = Exchange.of(ctx);
    Instant now = clock.instant();
    String period = who.budget() == null ? "monthly" : who.budget().period();
    Instant from = SpendReports.periodStart(period, now);
    Future<Optional<StoredKey>> stored = who.keyId() == null ? Future.succeededFuture(Optional.empty())
        : store.keys().findById(who.keyId());
    Future<Long> spent = store.ledger().spentMicros("key", who.name(), from);
    Future.all(stored, spent).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(ApiError.unavailable("Sluice could not read the key's spend right now; retry shortly"));
        return;
      }
      ObjectNode o = describe(who, stored.result().orElse(null));
      ObjectNode spend = o.putObject("spend");
      spend.put("period", period);
      spend.put("from", from.toString());
      spend.put("cost_usd", SpendReports.usd(spent.result()));
      if (who.budget() != null) {
        long cap = who.budget().usd().movePointRight(6).setScale(0, RoundingMode.DOWN).longValue();
        spend.put("remaining_usd", SpendReports.usd(Math.max(0, cap - spent.result())));
      }
      ok(ctx, ex, o);
    });
  }

  void spend(RoutingContext ctx) {
    Principal who = ctx.get(Principal.KEY);
    Exchange ex = Exchange.of(ctx);
    SpendQuery q;
    try {
      for (String p : ctx.queryParams().names()) {
        if (!Set.of("group_by", "from", "to").contains(p)) {
          throw new SpendReports.BadParam(p, "Unknown parameter '" + p + "': a key sees only its own spend "
              + "(group_by=model|day, from, to)");
        }
      }
      Instant now = clock.instant();
      SpendQuery.GroupBy g = SpendReports.groupBy(ctx.queryParams().get("group_by"), GROUPS, "model");
      Instant from = SpendReports.time(ctx.queryParams().get("from"), "from", SpendReports.periodStart("monthly", now));
      Instant to = SpendReports.time(ctx.queryParams().get("to"), "to", null);
      if (to != null && to.isBefore(from)) {
        throw new SpendReports.BadParam("to", "to is before from");
      }
      q = SpendQuery.of(g, from, to).forKey(who.name());
    } catch (SpendReports.BadParam e) {
      ex.fail(ApiError.invalidRequest(e.param, e.getMessage()));
      return;
    }
    store.ledger().spend(q).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(ApiError.unavailable("Sluice could not read the spend right now; retry shortly"));
      } else {
        ok(ctx, ex, SpendReports.report(q, ar.result()));
      }
    });
  }

  void stats(RoutingContext ctx) {
    Principal who = ctx.get(Principal.KEY);
    Exchange ex = Exchange.of(ctx);
    StatsParams.Request r;
    try {
      r = StatsParams.only(StatsParams.parse(ctx.queryParams(), StatsParams.TENANT, clock.instant()),
          StatsDimension.KEY, who.name());
    } catch (StatsParams.BadParam e) {
      ex.fail(ApiError.invalidRequest(e.param, e.getMessage()));
      return;
    }
    store.stats().query(r.query()).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(ApiError.unavailable("Sluice could not read the stats right now; retry shortly"));
      } else {
        ok(ctx, ex, StatsParams.answer(r, ar.result()));
      }
    });
  }

  void requests(RoutingContext ctx) {
    Principal who = ctx.get(Principal.KEY);
    Exchange ex = Exchange.of(ctx);
    RequestQuery q;
    try {
      q = RequestLogParams.parse(ctx.queryParams(), RequestLogParams.TENANT, "a key sees only its own requests ("
          + String.join(", ", RequestLogParams.TENANT.stream().sorted().toList()) + ")").key(who.name());
    } catch (RequestLogParams.BadParam e) {
      ex.fail(ApiError.invalidRequest(e.param, e.getMessage()));
      return;
    }
    store.requests().list(q).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(ApiError.unavailable("Sluice could not read the request log right now; retry shortly"));
      } else {
        ok(ctx, ex, RequestLogViews.page(ar.result()));
      }
    });
  }

  void request(RoutingContext ctx) {
    Principal who = ctx.get(Principal.KEY);
    Exchange ex = Exchange.of(ctx);
    String id = ctx.pathParam("id");
    // Scoped in the query itself: another key's request is not found, exactly like one that never was.
    store.requests().find(id, who.name()).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(ApiError.unavailable("Sluice could not read the request log right now; retry shortly"));
      } else if (ar.result().isEmpty()) {
        ex.fail(ApiError.notFound("No request with this id in this key's request log"));
      } else {
        ok(ctx, ex, RequestLogViews.detail(ar.result().get()));
      }
    });
  }

  private static ObjectNode describe(Principal who, StoredKey stored) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.key");
    putNullable(o, "id", who.keyId());
    o.put("name", who.name());
    putNullable(o, "team", who.team());
    if (stored != null) {
      o.put("key_prefix", stored.keyPrefix());
    }
    if (who.models().isEmpty()) {
      o.putNull("models");
    } else {
      ArrayNode models = o.putArray("models");
      who.models().stream().filter(m -> !StoredPrincipals.NO_MODEL.equals(m)).forEach(models::add);
    }
    ObjectNode limits = o.putObject("limits");
    limits.put("rpm", who.limits().rpm());
    limits.put("tpm", who.limits().tpm());
    limits.put("max_concurrency", who.limits().maxConcurrency());
    o.put("priority", who.priority());
    BudgetConfig b = who.budget();
    if (b == null) {
      o.putNull("budget");
    } else {
      ObjectNode budget = o.putObject("budget");
      budget.put("usd", b.usd().setScale(6, RoundingMode.HALF_UP).toPlainString());
      budget.put("period", b.period());
      budget.put("mode", b.mode());
    }
    if (stored != null) {
      putNullable(o, "expires_at", stored.expiresAt() == null ? null : stored.expiresAt().toString());
      o.put("created_at", stored.createdAt().toString());
      if (stored.metadataJson() == null) {
        o.putNull("metadata");
      } else {
        try {
          o.set("metadata", Json.MAPPER.readTree(stored.metadataJson()));
        } catch (java.io.IOException e) {
          o.putNull("metadata");
        }
      }
    }
    return o;
  }

  private static void putNullable(ObjectNode o, String field, String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  private static void ok(RoutingContext ctx, Exchange ex, ObjectNode body) {
    if (ctx.response().closed()) {
      ex.finish(499);
      return;
    }
    ex.finish(200);
    ctx.response().putHeader("content-type", "application/json").end(Json.toBuffer(body));
  }
}
