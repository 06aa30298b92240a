package dev.sluice.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.routing.ModelEntry;
import dev.sluice.routing.ModelRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** The small read-only endpoints: models list, health, Prometheus scrape. */
final class InfoHandlers {
  private final Buffer models;
  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;

  InfoHandlers(ModelRouter router, GatewayMetrics metrics, BooleanSupplier ready, long createdEpochSeconds) {
    this.metrics = metrics;
    this.ready = ready;
    ObjectNode list = JsonNodeFactory.instance.objectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (ModelEntry m : router.models()) {
      data.addObject().put("id", m.name()).put("object", "model").put("created", createdEpochSeconds)
          .put("owned_by", "sluice");
    }
    this.models = Json.toBuffer(list);
  }

  void models(RoutingContext ctx) {
    Exchange.of(ctx).finish(200);
    ctx.response().putHeader("content-type", "application/json").end(models);
  }

  void live(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\"}");
  }

  void ready(RoutingContext ctx) {
    boolean ok = ready.getAsBoolean();
    ctx.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json")
        .end(ok ? "{\"status\":\"ready\"}" : "{\"status\":\"draining\"}");
  }

  void metrics(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
  }
}
