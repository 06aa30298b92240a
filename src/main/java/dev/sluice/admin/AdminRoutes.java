package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.server.AdminMount;
import dev.sluice.server.GatewayView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.TreeMap;

/**
 * The admin API under {@code /admin/...}, guarded by the master key ({@code Authorization: Bearer}
 * or {@code x-api-key}). Off (403) when no master key is configured.
 */
public final class AdminRoutes implements AdminMount {

  @Override
  public void mount(Router router, GatewayView view) {
    router.route("/admin/*").handler(ctx -> guard(ctx, view));
    router.get("/admin/breakers").handler(ctx -> breakers(ctx, view));
  }

  private static void guard(RoutingContext ctx, GatewayView view) {
    if (!view.hasMasterKey()) {
      AdminErrors.write(ctx, 403, "permission_error", "The admin API is off: set server.master_key to enable it");
      return;
    }
    String auth = ctx.request().getHeader("authorization");
    String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim()
        : ctx.request().getHeader("x-api-key");
    if (presented == null || !view.isMasterKey(presented)) {
      AdminErrors.write(ctx, 401, "authentication_error", "The admin API needs the master key");
      return;
    }
    ctx.next();
  }

  private static void breakers(RoutingContext ctx, GatewayView view) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode targets = body.putObject("breakers");
    new TreeMap<>(view.breakerStates()).forEach(targets::put);
    ctx.response().putHeader("content-type", "application/json").end(Json.toBuffer(body));
  }
}
