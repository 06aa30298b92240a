package dev.sluice.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ApiError;
import dev.sluice.core.Json;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.pipeline.ErrorResponses;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RoutingHeaders;
import dev.sluice.routing.ModelEntry;
import dev.sluice.routing.ModelRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** The small read-only endpoints: models list, health (always open), Prometheus scrape (see {@link MetricsAccess}). */
final class InfoHandlers {
  /** The two model lists, built once per config (at start and at each reload). */
  private volatile ModelLists lists;
  private final long created;
  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;
  private final MetricsAccess scrapers;

  private record ModelLists(Buffer openai, Buffer anthropic) {}

  InfoHandlers(ModelRouter router, GatewayMetrics metrics, BooleanSupplier ready, long createdEpochSeconds,
      MetricsAccess scrapers) {
    this.metrics = metrics;
    this.ready = ready;
    this.scrapers = scrapers;
    this.created = createdEpochSeconds;
    modelsChanged(router);
  }

  /** A config reload changed the model entries: the lists answered from now on are {@code router}'s. */
  void modelsChanged(ModelRouter router) {
    ObjectNode list = JsonNodeFactory.instance.objectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (ModelEntry m : router.models()) {
      data.addObject().put("id", m.name()).put("object", "model").put("created", created)
          .put("owned_by", "sluice");
    }
    ObjectNode page = JsonNodeFactory.instance.objectNode();
    ArrayNode pageData = page.putArray("data");
    String createdAt = java.time.Instant.ofEpochSecond(created).toString();
    for (ModelEntry m : router.models()) {
      pageData.addObject().put("type", "model").put("id", m.name()).put("display_name", m.name())
          .put("created_at", createdAt);
    }
    page.put("has_more", false);
    if (router.models().isEmpty()) {
      page.putNull("first_id").putNull("last_id");
    } else {
      page.put("first_id", router.models().get(0).name()).put("last_id", router.models().get(router.models().size() - 1).name());
    }
    this.lists = new ModelLists(Json.toBuffer(list), Json.toBuffer(page));
  }

  /** The models list; in Anthropic's page shape when an Anthropic SDK asks (it sends anthropic-version). */
  void models(RoutingContext ctx) {
    Exchange.of(ctx).finish(200);
    boolean anthropic = ctx.request().getHeader("anthropic-version") != null;
    ModelLists now = lists;
    ctx.response().putHeader("content-type", "application/json").end(anthropic ? now.anthropic() : now.openai());
  }

  void live(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\"}");
  }

  void ready(RoutingContext ctx) {
    boolean ok = ready.getAsBoolean();
    ctx.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json")
        .end(ok ? "{\"status\":\"ready\"}" : "{\"status\":\"draining\"}");
  }

  /** The Prometheus scrape; 401 (OpenAI error shape) without the metrics or master key when one is required. */
  void metrics(RoutingContext ctx) {
    if (!scrapers.allows(ctx.request().getHeader(RoutingHeaders.AUTHORIZATION))) {
      ctx.response().putHeader("www-authenticate", "Bearer realm=\"sluice-metrics\"");
      ErrorResponses.write(ctx.response(), OpenAiFrontDoor.INSTANCE, ApiError.unauthorized(
          "/metrics needs the metrics key (server.metrics_key) or the master key as 'Authorization: Bearer KEY'"));
      return;
    }
    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
  }
}
