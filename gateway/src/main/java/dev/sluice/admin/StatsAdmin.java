package dev.sluice.admin;

import dev.sluice.core.Json;
import dev.sluice.extension.GatewayView;
import dev.sluice.store.stats.StatsParams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code GET /admin/stats}: time series of one metric from the stats rollups of every replica, per
 * bucket of {@code step} and per group (parameters and answer: {@link StatsParams}). Percentiles
 * come from the merged histograms of all rows in a bucket (every replica, every minute), never from
 * averaged percentiles. Answers run their JDBC on the store's worker pool.
 */
final class StatsAdmin {
  private final GatewayView view;
  private final Clock clock;

  StatsAdmin(GatewayView view, Clock clock) {
    this.view = view;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/admin/stats").handler(this::stats);
  }

  private void stats(RoutingContext ctx) {
    StatsParams.Request r;
    try {
      r = StatsParams.parse(ctx.queryParams(), StatsParams.ADMIN, clock.instant());
    } catch (StatsParams.BadParam e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    // A day per key is ~10^5 cells and megabytes of JSON (seconds of work, bench/results/console-api.md):
    // built on a worker thread, never on the event loop.
    view.store().stats().query(r.query())
        .compose(cells -> ctx.vertx().executeBlocking(() -> Json.toBuffer(StatsParams.answer(r, cells)), false))
        .onSuccess(body -> AdminAudit.send(ctx, 200, body, null))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }
}
