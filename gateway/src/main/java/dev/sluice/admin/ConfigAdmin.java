package dev.sluice.admin;

import dev.sluice.extension.GatewayView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/config}: the config the gateway runs with (defaults filled in, environment
 * references resolved), every secret redacted — provider API keys and headers, the master and
 * metrics keys, client keys, passwords and query values of URLs, alert webhooks' paths — and the
 * result of {@code sluice config check} on it ({@link GatewayView#configReport()}).
 */
final class ConfigAdmin {
  private final GatewayView view;

  ConfigAdmin(GatewayView view) {
    this.view = view;
  }

  void mount(Router router) {
    router.get("/admin/config").handler(this::show);
  }

  private void show(RoutingContext ctx) {
    KeyAdmin.json(ctx, 200, view.configReport().deepCopy());
  }
}
