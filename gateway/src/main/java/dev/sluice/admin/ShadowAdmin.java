package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.SpendReports;
import dev.sluice.extension.GatewayView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * {@code GET /admin/shadow?model=&from=&to=}: per shadow candidate of a model entry (of every entry
 * without {@code model}), the recorded pairs of the window compared — pairs, p50/p95 latency and
 * time to first token of primary and candidate, cost per 1,000 requests of each, error rates,
 * agreement rates (exact, JSON validity, schema match, tool calls) and mean similarity, each with
 * the number of pairs it comes from ({@link ShadowReport}). The window defaults to the last 24
 * hours. Pairs are read and summed on workers, never on the event loop.
 */
final class ShadowAdmin {
  private static final Set<String> PARAMS = Set.of("model", "from", "to");
  private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  private final GatewayView view;
  private final Clock clock;

  ShadowAdmin(GatewayView view, Clock clock) {
    this.view = view;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/admin/shadow").handler(this::report);
  }

  private void report(RoutingContext ctx) {
    Instant from;
    Instant to;
    String model = ctx.queryParams().get("model");
    try {
      for (String p : ctx.queryParams().names()) {
        if (!PARAMS.contains(p)) {
          throw new SpendReports.BadParam(p, "Unknown parameter '" + p + "'; allowed: model, from, to");
        }
      }
      if (model != null && (model.isBlank() || model.length() > AdminInput.MAX_NAME)) {
        throw new SpendReports.BadParam("model", "model must be a model entry's name");
      }
      Instant now = clock.instant();
      to = SpendReports.time(ctx.queryParams().get("to"), "to", now);
      from = SpendReports.time(ctx.queryParams().get("from"), "from", to.minus(DEFAULT_WINDOW));
      if (to.isBefore(from)) {
        throw new SpendReports.BadParam("to", "to is before from");
      }
    } catch (SpendReports.BadParam e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    view.store().shadowPairs().between(model, from, to)
        .compose(rows -> ctx.vertx().executeBlocking(() -> {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          o.put("object", "sluice.shadow_report");
          if (model == null) {
            o.putNull("model");
          } else {
            o.put("model", model);
          }
          o.put("from", from.toString());
          o.put("to", to.toString());
          o.put("pairs", rows.size());
          ArrayNode data = o.putArray("data");
          ShadowReport.of(rows).forEach(data::add);
          return o;
        }))
        .onSuccess(o -> KeyAdmin.json(ctx, 200, o))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }
}
