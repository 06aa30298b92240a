package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.extension.CanaryStatus;
import dev.sluice.extension.GatewayView;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The canaries of the model entries:
 *
 * <ul>
 *   <li>{@code GET /admin/canary}: every canary — state, percent, when its step started, its window's
 *       requests, errors, error rate and p95 time to first token, its limits, its last rollback;
 *   <li>{@code GET /admin/canary/{model}}: one (404 when the model has no canary);
 *   <li>{@code POST /admin/canary/{model}/restart|pause|resume|rollback} (audited): restart from
 *       {@code start} (after a rollback), hold the share, go on ramping, or roll back now. 404 for a
 *       model without a canary, 400 for another action, 409 for resume after a rollback.
 * </ul>
 *
 * Reads memory only; an action completes when the state is written (with Redis, there).
 */
final class CanaryAdmin {
  private final GatewayView view;
  private final AdminAudit audit;

  CanaryAdmin(GatewayView view, AdminAudit audit) {
    this.view = view;
    this.audit = audit;
  }

  void mount(Router router) {
    router.get("/admin/canary").handler(this::list);
    router.get("/admin/canary/:name").handler(this::one);
    audit.write(router, HttpMethod.POST, "/admin/canary/:name/:action", "canary.action", this::act);
  }

  private void list(RoutingContext ctx) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    var arr = body.putArray("canaries");
    view.canaries().forEach(c -> json(arr.addObject(), c));
    KeyAdmin.json(ctx, 200, body);
  }

  private void one(RoutingContext ctx) {
    String model = ctx.pathParam("name");
    for (CanaryStatus c : view.canaries()) {
      if (c.model().equals(model)) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        json(o, c);
        KeyAdmin.json(ctx, 200, o);
        return;
      }
    }
    AdminErrors.notFound(ctx, "Model '" + model + "' has no canary");
  }

  private void act(RoutingContext ctx) {
    String model = ctx.pathParam("name");
    if (view.canaries().stream().noneMatch(c -> c.model().equals(model))) {
      AdminErrors.notFound(ctx, "Model '" + model + "' has no canary");
      return;
    }
    view.canaryAction(model, ctx.pathParam("action")).onComplete(ar -> {
      if (ar.succeeded()) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        json(o, ar.result());
        KeyAdmin.json(ctx, 200, o);
      } else if (ar.cause() instanceof IllegalArgumentException e) {
        AdminErrors.invalid(ctx, "action", e.getMessage());
      } else if (ar.cause() instanceof IllegalStateException e) {
        AdminErrors.write(ctx, 409, "invalid_request_error", "conflict", "action", "Cannot "
            + ctx.pathParam("action") + " the canary of '" + model + "': " + e.getMessage());
      } else {
        AdminErrors.write(ctx, 503, "server_error", "canary_state_unavailable", null,
            "The canary's state could not be changed (is Redis reachable?); retry shortly");
      }
    });
  }

  static void json(ObjectNode o, CanaryStatus c) {
    o.put("model", c.model());
    o.put("canary", c.canary());
    o.put("state", c.state());
    o.put("percent", c.percent());
    o.put("step_started_at", c.stepStartedAt().toString());
    ObjectNode w = o.putObject("window");
    w.put("requests", c.windowRequests());
    w.put("errors", c.windowErrors());
    w.put("error_rate", c.errorRate());
    if (c.p95TtftMillis() == null) {
      w.putNull("p95_ttft_ms");
    } else {
      w.put("p95_ttft_ms", c.p95TtftMillis());
    }
    ObjectNode cfg = o.putObject("config");
    cfg.put("start", c.startPercent());
    cfg.put("step", c.stepPercent());
    cfg.put("max", c.maxPercent());
    cfg.put("every_seconds", c.everySeconds());
    ObjectNode r = cfg.putObject("rollback_if");
    r.put("error_rate", c.errorRateLimit());
    if (c.p95TtftLimitMillis() == null) {
      r.putNull("p95_ttft_ms");
    } else {
      r.put("p95_ttft_ms", c.p95TtftLimitMillis());
    }
    r.put("min_requests", c.minRequests());
    if (c.lastRollbackReason() == null) {
      o.putNull("last_rollback");
    } else {
      ObjectNode last = o.putObject("last_rollback");
      last.put("reason", c.lastRollbackReason());
      last.put("at", c.rolledBackAt() == null ? null : c.rolledBackAt().toString());
    }
  }
}
