package dev.sluice.server;

import dev.sluice.server.responses.ResponsesFrontDoor;
import dev.sluice.server.responses.StoredResponses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * What {@code /v1/responses} routes need: the Responses front door (its error format too), the
 * pipeline's handler for {@code POST}, and the pass-through of stored responses.
 */
record ResponsesRoutes(ResponsesFrontDoor front, Handler<RoutingContext> create, StoredResponses stored) {}
