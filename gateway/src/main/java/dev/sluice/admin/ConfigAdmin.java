package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.OpenAiError;
import dev.sluice.core.Json;
import dev.sluice.extension.ConfigReload;
import dev.sluice.extension.GatewayView;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/config}: the config the gateway runs with (defaults filled in, environment
 * references resolved), every secret redacted — provider API keys and headers, the master and
 * metrics keys, client keys, passwords and query values of URLs, alert webhooks' paths — and the
 * result of {@code sluice config check} on it ({@link GatewayView#configReport()}).
 *
 * <p>{@code POST /admin/config/reload}: reloads the config file ({@link GatewayView#reloadConfig});
 * 200 with what changed, or 400 in the admin's error shape with every problem and its path
 * ({@code error.problems}), nothing changed. Audited as {@code config.reload}, refused ones too.
 */
final class ConfigAdmin {
  private final GatewayView view;
  private final AdminAudit audit;

  ConfigAdmin(GatewayView view, AdminAudit audit) {
    this.view = view;
    this.audit = audit;
  }

  void mount(Router router) {
    router.get("/admin/config").handler(this::show);
    audit.write(router, HttpMethod.POST, "/admin/config/reload", "config.reload", this::reload);
  }

  private void show(RoutingContext ctx) {
    KeyAdmin.json(ctx, 200, view.configReport().deepCopy());
  }

  private void reload(RoutingContext ctx) {
    view.reloadConfig(ctx.get(AdminAudit.ACTOR)).onComplete(ar -> {
      if (ar.failed()) {
        AdminErrors.write(ctx, 500, "server_error", "The config could not be reloaded: " + ar.cause().getMessage());
        return;
      }
      ConfigReload r = ar.result();
      AdminAudit.Trail trail = AdminAudit.trail(ctx).target(fileName(r.source()));
      if (r.applied()) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("object", "sluice.config.reload")
            .put("applied", true).put("source", r.source()).put("summary", r.summary());
        body.set("changes", r.changes().deepCopy());
        trail.after(r.changes().deepCopy());
        KeyAdmin.json(ctx, 200, body);
        return;
      }
      StringBuilder message = new StringBuilder("The new config is invalid; nothing changed: ");
      ObjectNode error = new OpenAiError("", "invalid_request_error", null, "invalid_config").toJson();
      ObjectNode inner = (ObjectNode) error.get("error");
      ArrayNode problems = inner.putArray("problems");
      for (int i = 0; i < r.problems().size(); i++) {
        ConfigReload.Problem p = r.problems().get(i);
        problems.addObject().put("path", p.path()).put("message", p.message());
        message.append(i == 0 ? "" : "; ").append(p.path().isEmpty() ? "(root)" : p.path()).append(": ")
            .append(p.message());
      }
      inner.put("message", message.toString());
      AdminAudit.send(ctx, 400, Json.toBuffer(error), message.toString());
    });
  }

  private static String fileName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return source.substring(slash + 1);
  }
}
