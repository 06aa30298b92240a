package dev.sluice.admin;

import dev.sluice.api.openai.OpenAiError;
import dev.sluice.core.Json;
import io.vertx.ext.web.RoutingContext;

/** Admin API errors, in the same OpenAI error shape as the rest of the API. */
final class AdminErrors {
  private AdminErrors() {}

  static void write(RoutingContext ctx, int status, String type, String message) {
    write(ctx, status, type, null, null, message);
  }

  static void write(RoutingContext ctx, int status, String type, String code, String param, String message) {
    // through the audit trail: on an admin write, its entry is completed before the answer leaves
    AdminAudit.send(ctx, status, Json.toBuffer(new OpenAiError(message, type, param, code).toJson()), message);
  }

  /** 400 naming the offending field ({@code budget.usd}, {@code limits.rpm}, {@code group_by} ...). */
  static void invalid(RoutingContext ctx, String param, String message) {
    write(ctx, 400, "invalid_request_error", "invalid_request", param, message);
  }

  static void notFound(RoutingContext ctx, String message) {
    write(ctx, 404, "invalid_request_error", "not_found", null, message);
  }

  /**
   * A store failure: the details go to the log, not to the caller. The log names the route, not the
   * path: a path may hold what the caller sent as an id (a plain key, by mistake).
   */
  static void storeFailed(RoutingContext ctx, Throwable cause) {
    String route = ctx.currentRoute() == null ? "?" : ctx.currentRoute().getPath();
    org.slf4j.LoggerFactory.getLogger(AdminErrors.class).warn("Admin request {} {} failed: {}",
        ctx.request().method(), route, cause.toString());
    write(ctx, 503, "server_error", "store_unavailable", null, "The store could not complete the request; retry shortly");
  }
}
