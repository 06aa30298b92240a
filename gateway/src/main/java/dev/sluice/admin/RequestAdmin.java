package dev.sluice.admin;

import dev.sluice.extension.GatewayView;
import dev.sluice.observe.ledger.RequestLogParams;
import dev.sluice.observe.ledger.RequestLogViews;
import dev.sluice.store.requestlog.RequestQuery;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/requests} (the request log, newest first, filtered by key, team, model, status,
 * error class, latency and time, a cursor page at a time) and {@code GET /admin/requests/{id}} (one
 * request with its attempt timeline and stored bodies).
 */
final class RequestAdmin {
  private final GatewayView view;

  RequestAdmin(GatewayView view) {
    this.view = view;
  }

  void mount(Router router) {
    router.get("/admin/requests").handler(this::list);
    router.get("/admin/requests/:id").handler(this::show);
  }

  private void list(RoutingContext ctx) {
    RequestQuery q;
    try {
      q = RequestLogParams.parse(ctx.queryParams(), RequestLogParams.ADMIN,
          "allowed: " + String.join(", ", RequestLogParams.ADMIN.stream().sorted().toList()));
    } catch (RequestLogParams.BadParam e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    view.store().requests().list(q)
        .onSuccess(page -> KeyAdmin.json(ctx, 200, RequestLogViews.page(page)))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    view.store().requests().find(id, null).onSuccess(found -> {
      if (found.isEmpty()) {
        AdminErrors.notFound(ctx, "No request with this id in the request log");
      } else {
        KeyAdmin.json(ctx, 200, RequestLogViews.detail(found.get()));
      }
    }).onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }
}
