package dev.sluice.server;

import dev.sluice.core.ChatRequest;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.FrontDoor;
import dev.sluice.server.anthropic.AnthropicFrontDoor;
import dev.sluice.server.anthropic.AnthropicTokenCounter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages/count_tokens}: an estimate of a Messages request's input tokens, counted
 * on a worker thread (tokenizing a large prompt takes long enough to stall an event loop).
 */
final class CountTokensHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final AnthropicFrontDoor front;

  CountTokensHandler(Vertx vertx, AnthropicFrontDoor front) {
    this.vertx = vertx;
    this.front = front;
  }

  AnthropicFrontDoor front() {
    return front;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Exchange ex = Exchange.of(ctx);
    ChatRequest request;
    try {
      request = front.parseForCounting(ctx.body().buffer());
    } catch (FrontDoor.FrontDoorException e) {
      ex.fail(e.error());
      return;
    }
    ex.model(request.model());
    vertx.executeBlocking(() -> AnthropicTokenCounter.countTokensBody(request), false).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(dev.sluice.core.ApiError.internal("Sluice failed to count the tokens"));
        return;
      }
      ctx.response().putHeader("content-type", "application/json").end(ar.result());
      ex.finish(200);
    });
  }
}
