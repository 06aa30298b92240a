package dev.sluice.pipeline;

import dev.sluice.admission.AdmissionRefusal;
import dev.sluice.admission.Priority;
import dev.sluice.admission.Reservation;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.UpstreamError;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.tenancy.Principal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chat inference endpoint for one front door: parse once into the canonical form, route to the
 * capable candidates, fix the request's deadline, and hand it to an {@link Execution}. Runs on the
 * request's event loop and never blocks it.
 */
final class InferenceHandler implements Handler<RoutingContext> {
  /** Header a client uses to pick its priority, when its key allows it. */
  static final String PRIORITY_HEADER = "x-sluice-priority";

  /** Header a client uses to shorten its deadline, in milliseconds. */
  static final String TIMEOUT_HEADER = "x-sluice-timeout";

  /** Header naming a conversation, for sticky routing (else the request's {@code user}). */
  static final String SESSION_HEADER = "x-sluice-session";

  private final FrontDoor front;
  /** The running config's request path, read once per request at entry (see {@link RequestPipeline#reload}). */
  private final java.util.function.Supplier<Services> current;
  private final BodyLogging bodyLogging;
  private final ResponseCaching caching;

  InferenceHandler(FrontDoor front, java.util.function.Supplier<Services> current, BodyLogging bodyLogging,
      ResponseCaching caching) {
    this.front = front;
    this.current = current;
    this.bodyLogging = bodyLogging;
    this.caching = caching;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Services services = current.get(); // this request's config snapshot, to its end
    Exchange ex = Exchange.of(ctx);
    ex.bodies = bodyLogging.start(ctx.get(Principal.KEY), ctx.body().buffer());
    ChatRequest request;
    Optional<Services.Resolved> resolved;
    Duration clientTimeout;
    try {
      request = front.parse(ctx.body().buffer());
      // Nothing reads the raw body again: the parsed request carries what the attempts send (for a
      // same-format relay, these very bytes). Left in the routing context, a long prompt's bytes
      // would live as long as its stream; dropped here, they go with the request.
      ((io.vertx.ext.web.impl.RoutingContextInternal) ctx).setBody(null);
      ex.model = request.model();
      ex.stream = request.stream();
      clientTimeout = clientTimeout(ctx.request().getHeader(TIMEOUT_HEADER));
      resolved = services.route(request.model(), request, Services.facts(ctx.get(Principal.KEY), request.model()),
          CanaryWiring.stickyKey(services, request.model(), ctx.request().getHeader(SESSION_HEADER), request));
    } catch (FrontDoor.FrontDoorException e) {
      ex.fail(e.error());
      return;
    }
    if (resolved.isEmpty()) {
      ex.fail(ApiError.modelNotFound(request.model()));
      return;
    }
    Principal who = ctx.get(Principal.KEY);
    if (!who.mayCall(request.model())) {
      ex.fail(new ApiError(403, "permission_error", "model_not_allowed", "model",
          "This key may not call model '" + request.model() + "'"));
      return;
    }
    CacheLookup cached = caching.lookup(ctx, ex, request, who);
    if (cached == null) {
      return; // a bad cache header, answered
    }
    ModelPlan plan = resolved.get().plan();
    ex.canary = resolved.get().canary();
    List<Candidate> candidates = resolved.get().candidates();
    Duration total = candidates.get(0).provider().client().endpoint().timeouts().overriddenBy(plan.timeouts()).total();
    if (clientTimeout != null && clientTimeout.compareTo(total) < 0) {
      total = clientTimeout;
    }
    long deadline = ex.startNanos + total.toNanos();
    Priority priority = priority(who, ctx.request().getHeader(PRIORITY_HEADER));
    ex.principal = who;
    ex.accountant = services.accountant();
    ex.budgets = services.budgets();
    // Completed at once, unless counting the prompt is slow enough to be done on a worker thread.
    services.flow().estimateInput(request).onComplete(estimate -> {
      if (estimate.failed()) {
        ex.fail(ApiError.internal("Sluice failed to estimate the request's prompt tokens"));
      } else if (ctx.response().closed()) {
        ex.finish(499); // left while its prompt was being counted
      } else {
        admitAndCall(ctx, services, ex, request, who, cached, plan, candidates, deadline, priority, estimate.result());
      }
    });
  }

  /**
   * The request with its prompt estimated: rate limits (maybe a wait in the queue), the response
   * cache, the budget's hold, then the {@link Execution}; every step that refuses answers the client.
   */
  private void admitAndCall(RoutingContext ctx, Services services, Exchange ex, ChatRequest request, Principal who,
      CacheLookup cached, ModelPlan plan, List<Candidate> candidates, long deadline, Priority priority,
      long inputEstimate) {
    ex.inputEstimate = inputEstimate;
    long outputReserve = services.flow().reserveOutput(request, request.model());
    long worstCase = worstCase(services, candidates, inputEstimate, outputReserve);
    long admitStart = System.nanoTime();
    // Gone while queued: the waiter leaves the queue at once (the admission fails); a ticket
    // admitted meanwhile is given back below.
    Promise<Void> gone = Promise.promise();
    ctx.response().closeHandler(v -> {
      gone.tryComplete();
      ex.finish(499);
    });
    if (ctx.response().closed()) {
      gone.tryComplete();
    }
    Future<FlowControl.Admitted> admitted = cached.alongside(services.flow().admit(who, request.model(), inputEstimate + outputReserve, candidates, priority,
        Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), gone.future()));
    admitted.onComplete(ar -> {
      ex.queueWaitNanos = System.nanoTime() - admitStart;
      if (ar.failed()) {
        if (ar.cause() instanceof AdmissionRefusal r) {
          r.headers().forEach(ctx.response()::putHeader);
          ctx.response().putHeader("retry-after", Long.toString(r.retryAfterSeconds()));
          ex.fail(r.error());
        } else {
          ex.fail(ApiError.internal("Sluice failed to admit the request"));
        }
        return;
      }
      FlowControl.Admitted a = ar.result();
      if (ctx.response().closed()) {
        services.flow().done(a.reservation(), 0);
        return;
      }
      a.headers().writeTo(ctx.response()::putHeader);
      Reservation held = a.reservation();
      ex.onFinish(() -> services.flow().done(held, ex.tokensUsed()));
      if (cached.serveHit(front, request)) {
        return; // answered from the response cache: costs nothing, so no budget reservation and no call
      }
      services.budgets().reserve(who, worstCase).onComplete(b -> {
        if (b.failed()) {
          AdmissionRefusal r = b.cause() instanceof AdmissionRefusal x ? x : null;
          if (r != null) {
            ctx.response().putHeader("retry-after", Long.toString(r.retryAfterSeconds()));
          }
          ex.fail(r != null ? r.error() : ApiError.internal("Sluice failed to check the budget"));
          return;
        }
        // Every attempt is written to the ledger and the budgets settled on what they really cost.
        ex.onFinish(() -> {
          ex.costMicros = services.accountant().record(ex.requestId, ex.model, ex.stream, ex.clientDisconnected,
              ex.attempts, who, inputEstimate);
          services.budgets().settle(b.result(), ex.costMicros);
        });
        if (ctx.response().closed()) {
          ex.finish(499);
          return;
        }
        services.shadows().begin(services, ex, request, inputEstimate); // copies to shadow candidates, if sampled
        new Execution(ctx, ex, cached.front(front), request, services, deadline).start(plan, preferred(candidates, a.candidateIndex()));
      });
    });
  }

  /** The most the request can cost on any of its candidates: what budgets reserve before the call. */
  private static long worstCase(Services services, List<Candidate> candidates, long inputEstimate, long outputReserve) {
    long worst = 0;
    for (Candidate c : candidates) {
      var price = services.pricing().priceFor(c.target());
      if (price.isPresent()) {
        worst = Math.max(worst, dev.sluice.cost.WorstCase.worstCase(price.get(), inputEstimate, outputReserve).value());
      }
    }
    return worst;
  }

  /** The candidate the admission reserved goes first; the others keep their order as fallbacks. */
  private static List<Candidate> preferred(List<Candidate> candidates, int index) {
    if (index == 0) {
      return candidates;
    }
    List<Candidate> out = new ArrayList<>(candidates.size());
    out.add(candidates.get(index));
    for (int i = 0; i < candidates.size(); i++) {
      if (i != index) {
        out.add(candidates.get(i));
      }
    }
    return out;
  }

  /** The key's priority, or the one asked for in {@code x-sluice-priority} when the key may choose. */
  private static Priority priority(Principal who, String header) {
    String name = who.allowPriorityHeader() && header != null ? header.trim().toLowerCase(java.util.Locale.ROOT)
        : who.priority();
    return switch (name) {
      case "high" -> Priority.HIGH;
      case "low" -> Priority.LOW;
      default -> Priority.NORMAL;
    };
  }

  private static Duration clientTimeout(String header) {
    if (header == null) {
      return null;
    }
    try {
      long ms = Long.parseLong(header.trim());
      if (ms > 0) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new FrontDoor.FrontDoorException(ApiError.invalidRequest(TIMEOUT_HEADER,
        "Header " + TIMEOUT_HEADER + " must be a positive number of milliseconds, got '" + header + "'"));
  }

  /** Counts the failed attempt and says what the client is told about it. */
  static ApiError clientError(GatewayMetrics metrics, String provider, UpstreamError e) {
    metrics.upstreamError(provider, e.errorClass().wireName());
    return e.toApiError(provider);
  }
}
