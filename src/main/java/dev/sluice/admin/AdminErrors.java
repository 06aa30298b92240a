package dev.sluice.admin;

import dev.sluice.api.openai.OpenAiError;
import dev.sluice.core.Json;
import io.vertx.ext.web.RoutingContext;

/** Admin API errors, in the same OpenAI error shape as the rest of the API. */
final class AdminErrors {
  private AdminErrors() {}

  static void write(RoutingContext ctx, int status, String type, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(Json.toBuffer(new OpenAiError(message, type, null, null).toJson()));
  }
}
