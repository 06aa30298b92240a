package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.PromptCacheSavings;
import dev.sluice.billing.RoutingSavings;
import dev.sluice.billing.SpendReplay;
import dev.sluice.billing.SpendReports;
import dev.sluice.cost.CostForecast;
import dev.sluice.cost.ModelPrice;
import dev.sluice.cost.PriceCatalog;
import dev.sluice.extension.GatewayView;
import dev.sluice.store.LedgerTotals;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The cost tools of the console and of scripts, the same numbers as {@code sluice cost estimate} and
 * {@code sluice cost replay} (both price with the bundled catalog):
 * <ul>
 *   <li>{@code POST /admin/cost/estimate} {@code {model, requests_per_second, input_tokens,
 *       output_tokens, retry_rate?}} → per request, per day, per 30-day month, and the assumptions
 *       ({@link CostForecast});
 *   <li>{@code POST /admin/cost/replay} {@code {model, from?, to?}} → what the ledger's attempts in
 *       {@code [from, to)} cost and would have cost on {@code model} ({@link SpendReplay});
 *   <li>{@code GET /admin/cost/savings?from=&to=} → what routing and the providers' prompt caches
 *       saved in {@code [from, to)} (to the millisecond), from the savings facts the accountant
 *       recorded on the ledger rows at the prices when each request ran, summed by the hourly rollup
 *       ({@link RoutingSavings}, {@link PromptCacheSavings}); Sluice has no response cache yet, and
 *       the answer says so instead of a number.
 * </ul>
 * The two POSTs change nothing; they are POSTs because they take a body, and so are audited like
 * every admin POST. Ledger rows are summed on a worker thread, not the event loop.
 */
final class CostAdmin {
  private static final Set<String> ESTIMATE_FIELDS = Set.of("model", "requests_per_second", "input_tokens",
      "output_tokens", "retry_rate");
  private static final Set<String> REPLAY_FIELDS = Set.of("model", "from", "to");
  private static final Set<String> SAVINGS_PARAMS = Set.of("from", "to");
  static final String NO_RESPONSE_CACHE = "Sluice has no response cache yet, so no answer was served from one: "
      + "there is no response-cache saving to measure.";

  private final GatewayView view;
  private final Clock clock;
  private final AdminAudit audit;

  CostAdmin(GatewayView view, Clock clock, AdminAudit audit) {
    this.view = view;
    this.clock = clock;
    this.audit = audit;
  }

  void mount(Router router) {
    audit.write(router, HttpMethod.POST, "/admin/cost/estimate", "cost.estimate", this::estimate);
    audit.write(router, HttpMethod.POST, "/admin/cost/replay", "cost.replay", this::replay);
    router.get("/admin/cost/savings").handler(this::savings);
  }

  private void estimate(RoutingContext ctx) {
    ObjectNode out;
    try {
      ObjectNode b = AdminInput.object(ctx.body().buffer(), ESTIMATE_FIELDS);
      PriceCatalog catalog = PriceCatalog.bundled();
      ModelPrice price = price(catalog, b.get("model"));
      BigDecimal rps = decimal(b.get("requests_per_second"), "requests_per_second", null);
      long in = tokens(b.get("input_tokens"), "input_tokens");
      long outTokens = tokens(b.get("output_tokens"), "output_tokens");
      BigDecimal retry = decimal(b.get("retry_rate"), "retry_rate", BigDecimal.ZERO);
      CostForecast f;
      try {
        f = CostForecast.estimate(price, rps, in, outTokens, retry);
      } catch (ArithmeticException e) {
        throw new AdminInput.Invalid("requests_per_second", "A month of this traffic is more than the gateway can "
            + "count in micro-USD: lower requests_per_second or the token counts");
      }
      out = estimateJson(b.get("model").asText().strip(), catalog, price, f);
    } catch (AdminInput.Invalid e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    KeyAdmin.json(ctx, 200, out);
  }

  private static ObjectNode estimateJson(String model, PriceCatalog catalog, ModelPrice price, CostForecast f) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.cost_estimate");
    o.put("model", model);
    o.put("catalog_version", catalog.version());
    ObjectNode p = o.putObject("price");
    p.put("input_per_mtok_usd", price.inputPerMtok().toUsd().toPlainString());
    p.put("output_per_mtok_usd", price.outputPerMtok().toUsd().toPlainString());
    if (price.tiers().isEmpty()) {
      p.putNull("long_context_above_input_tokens");
    } else {
      p.put("long_context_above_input_tokens", price.tiers().get(0).aboveInputTokens());
    }
    o.put("per_request_usd", SpendReports.usd(f.perRequest().value()));
    o.put("per_day_usd", SpendReports.usd(f.perDay().value()));
    o.put("per_month_usd", SpendReports.usd(f.perMonth().value()));
    CostForecast.Assumptions a = f.assumptions();
    ObjectNode as = o.putObject("assumptions");
    as.put("requests_per_second", a.requestsPerSecond().toPlainString());
    as.put("input_tokens_per_request", a.inputTokensPerRequest());
    as.put("output_tokens_per_request", a.outputTokensPerRequest());
    as.put("retry_rate", a.retryRate().toPlainString());
    as.put("seconds_per_day", a.secondsPerDay());
    as.put("days_per_month", a.daysPerMonth());
    if (a.priceAsOf() == null) {
      as.putNull("price_as_of");
    } else {
      as.put("price_as_of", a.priceAsOf().toString());
    }
    as.put("price_source", a.priceSource());
    as.putArray("notes")
        .add("every request has the same token counts")
        .add("no prompt token is a cache hit or a cache write")
        .add("per_request is one attempt; per_day and per_month include the retry rate")
        .add("the long-context tier, if any, is the one the prompt length selects");
    return o;
  }

  private void replay(RoutingContext ctx) {
    String model;
    ModelPrice price;
    Instant from;
    Instant to;
    try {
      ObjectNode b = AdminInput.object(ctx.body().buffer(), REPLAY_FIELDS);
      price = price(PriceCatalog.bundled(), b.get("model"));
      model = b.get("model").asText().strip();
      from = time(b.get("from"), "from", SpendReports.periodStart("monthly", clock.instant()));
      to = time(b.get("to"), "to", null);
      if (to != null && to.isBefore(from)) {
        throw new AdminInput.Invalid("to", "to is before from");
      }
    } catch (AdminInput.Invalid e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    AdminAudit.trail(ctx).target(model);
    view.store().ledger().rowsBetween(from, to)
        .compose(rows -> ctx.vertx().executeBlocking(() -> SpendReplay.of(rows, from, to, price)))
        .onSuccess(r -> KeyAdmin.json(ctx, 200, replayJson(model, from, to, r)))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private static ObjectNode replayJson(String model, Instant from, Instant to, SpendReplay r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.cost_replay");
    o.put("model", model);
    window(o, from, to);
    o.put("requests", r.requests());
    o.put("attempts", r.attempts());
    o.put("recorded_cost_usd", SpendReports.usd(r.recordedMicros()));
    o.put("replayed_cost_usd", SpendReports.usd(r.replayedMicros()));
    o.put("difference_usd", SpendReports.usd(r.differenceMicros()));
    if (r.differencePercent() == null) {
      o.putNull("difference_percent");
    } else {
      o.put("difference_percent", r.differencePercent());
    }
    o.put("unpriced_attempts", r.unpricedAttempts());
    ArrayNode by = o.putArray("by_target");
    for (SpendReplay.TargetReplay t : r.byTarget()) {
      by.addObject().put("target", t.target()).put("attempts", t.attempts()).put("input_tokens", t.inputTokens())
          .put("output_tokens", t.outputTokens()).put("recorded_cost_usd", SpendReports.usd(t.recordedMicros()))
          .put("replayed_cost_usd", SpendReports.usd(t.replayedMicros()));
    }
    o.putArray("notes")
        .add("every recorded attempt is replayed: retries, fallbacks, hedges and failed attempts included")
        .add("token counts are the recorded model's; another model's tokenizer would count a little differently")
        .add("attempts recorded without a known price count 0 in the recorded cost");
    return o;
  }

  private void savings(RoutingContext ctx) {
    Instant from;
    Instant to;
    try {
      for (String p : ctx.queryParams().names()) {
        if (!SAVINGS_PARAMS.contains(p)) {
          throw new SpendReports.BadParam(p, "Unknown parameter '" + p + "'; allowed: from, to");
        }
      }
      from = SpendReports.time(ctx.queryParams().get("from"), "from",
          SpendReports.periodStart("monthly", clock.instant()));
      to = SpendReports.time(ctx.queryParams().get("to"), "to", null);
      if (to != null && to.isBefore(from)) {
        throw new SpendReports.BadParam("to", "to is before from");
      }
    } catch (SpendReports.BadParam e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    view.store().ledger().totals(from, to, LedgerTotals.By.MODEL)
        .map(byModel -> savingsJson(from, to, RoutingSavings.of(byModel, view::modelTargets),
            PromptCacheSavings.of(byModel)))
        .onSuccess(o -> KeyAdmin.json(ctx, 200, o))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private static ObjectNode savingsJson(Instant from, Instant to, RoutingSavings r, PromptCacheSavings c) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.cost_savings");
    window(o, from, to);
    ObjectNode routing = o.putObject("routing");
    routing.put("measured", true);
    routing.put("baseline", "each request on its model entry's first target, with the same token counts");
    routing.put("answered_requests", r.answered());
    routing.put("rerouted_requests", r.rerouted());
    routing.put("fallback_requests", r.fallbacks());
    routing.put("unpriced_requests", r.unpriced());
    routing.put("recorded_cost_usd", SpendReports.usd(r.recordedMicros()));
    routing.put("at_first_target_usd", SpendReports.usd(r.atFirstTargetMicros()));
    routing.put("saved_usd", SpendReports.usd(r.savedMicros()));
    ArrayNode by = routing.putArray("by_model");
    for (RoutingSavings.ModelSavings m : r.byModel()) {
      by.addObject().put("model", m.model()).put("first_target", m.firstTarget())
          .put("rerouted_requests", m.rerouted()).put("fallback_requests", m.fallbacks())
          .put("unpriced_requests", m.unpriced()).put("recorded_cost_usd", SpendReports.usd(m.recordedMicros()))
          .put("at_first_target_usd", SpendReports.usd(m.atFirstTargetMicros()))
          .put("saved_usd", SpendReports.usd(m.savedMicros()));
    }
    ObjectNode prompt = o.putObject("prompt_cache");
    prompt.put("measured", true);
    prompt.put("attempts", c.attempts());
    prompt.put("cached_read_tokens", c.cachedReadTokens());
    prompt.put("cache_write_tokens", c.cacheWriteTokens());
    prompt.put("without_cache_usd", SpendReports.usd(c.withoutCacheMicros()));
    prompt.put("with_cache_usd", SpendReports.usd(c.withCacheMicros()));
    prompt.put("saved_usd", SpendReports.usd(c.savedMicros()));
    prompt.put("unpriced_attempts", c.unpriced());
    ObjectNode response = o.putObject("response_cache");
    response.put("measured", false);
    response.put("reason", NO_RESPONSE_CACHE);
    o.putArray("notes")
        .add("priced when each request ran, at the prices and first targets of that time")
        .add("requests recorded before the store's V9 upgrade carry no savings facts and are not counted")
        .add("prompt_cache cached_read_tokens and cache_write_tokens count every attempt, priced or not");
    return o;
  }

  private static void window(ObjectNode o, Instant from, Instant to) {
    o.put("from", from.toString());
    if (to == null) {
      o.putNull("to");
    } else {
      o.put("to", to.toString());
    }
  }

  private static ModelPrice price(PriceCatalog catalog, JsonNode model) {
    if (model == null || !model.isTextual()) {
      throw new AdminInput.Invalid("model", "model is required: a catalog model id such as gpt-4o-mini");
    }
    try {
      return CostForecast.catalogPrice(catalog, model.asText());
    } catch (CostForecast.UnknownModel e) {
      throw new AdminInput.Invalid("model", e.getMessage());
    }
  }

  private static BigDecimal decimal(JsonNode v, String param, BigDecimal fallback) {
    if (v == null || v.isNull()) {
      if (fallback != null) {
        return fallback;
      }
      throw new AdminInput.Invalid(param, param + " is required: a number ≥ 0");
    }
    if (!v.isNumber() || v.decimalValue().signum() < 0) {
      throw new AdminInput.Invalid(param, param + " must be a number ≥ 0, got " + brief(v));
    }
    return v.decimalValue();
  }

  private static long tokens(JsonNode v, String param) {
    if (v == null || v.isNull()) {
      throw new AdminInput.Invalid(param, param + " is required: a whole number of tokens ≥ 0");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new AdminInput.Invalid(param, param + " must be a whole number of tokens ≥ 0, got " + brief(v));
    }
    return v.longValue();
  }

  private static Instant time(JsonNode v, String param, Instant fallback) {
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new AdminInput.Invalid(param, param + " must be a date (2026-01-31) or an ISO-8601 time");
    }
    try {
      return SpendReports.time(v.asText(), param, fallback);
    } catch (SpendReports.BadParam e) {
      throw new AdminInput.Invalid(param, e.getMessage());
    }
  }

  private static String brief(JsonNode v) {
    String s = v.toString();
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
