package dev.sluice.pipeline;

import dev.sluice.billing.Accountant;
import dev.sluice.billing.Budgets;
import dev.sluice.billing.Pricing;
import dev.sluice.core.ChatRequest;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.routing.ModelRouter;
import dev.sluice.routing.Route;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a request execution needs from the running gateway: routing, providers, target health,
 * model plans, metrics and the Vert.x instance for timers. Immutable after start; thread-safe.
 */
record Services(Vertx vertx, ModelRouter router, Providers providers, TargetHealth health,
    Map<String, ModelPlan> plans, ModelPlan directPlan, GatewayMetrics metrics, Pricing pricing,
    boolean drainOnClientDisconnect, FlowControl flow, Accountant accountant, Budgets budgets,
    ShadowLauncher shadows) {

  /** A model entry's plan and capable candidates for a request. */
  record Resolved(ModelPlan plan, List<Candidate> candidates) {}

  ModelPlan planFor(String model) {
    return plans.getOrDefault(model, directPlan);
  }

  /**
   * Routes {@code model} for {@code request}; empty when the name matches nothing.
   *
   * @throws FrontDoor.FrontDoorException when no target can serve the request (capabilities, policy)
   */
  Optional<Resolved> route(String model, ChatRequest request) {
    Optional<Route> route = router.route(model, health.signals());
    if (route.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Resolved(planFor(model), Candidate.forRoute(route.get(), request, providers)));
  }

  /** For fallbacks: the entry's plan and candidates, or null when it has none able to serve. */
  Resolved resolve(String model, ChatRequest request) {
    try {
      return route(model, request.withModel(model)).orElse(null);
    } catch (FrontDoor.FrontDoorException notCapable) {
      return null;
    }
  }
}
