package dev.sluice.pipeline;

import dev.sluice.billing.Accountant;
import dev.sluice.billing.Budgets;
import dev.sluice.billing.Pricing;
import dev.sluice.core.ChatRequest;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.routing.ModelRouter;
import dev.sluice.routing.Route;
import dev.sluice.switching.Adaptations;
import dev.sluice.switching.RequestFacts;
import dev.sluice.tenancy.Principal;
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
    Adaptations adaptations, dev.sluice.switching.canary.CanaryDirector canaries,
    ShadowLauncher shadows) {

  /** A model entry's plan and capable candidates for a request; {@code canary}: set when it went to the entry's canary. */
  record Resolved(ModelPlan plan, List<Candidate> candidates, dev.sluice.switching.canary.CanaryTap canary) {
    Resolved(ModelPlan plan, List<Candidate> candidates) {
      this(plan, candidates, null);
    }
  }

  ModelPlan planFor(String model) {
    return plans.getOrDefault(model, directPlan);
  }

  /**
   * Routes {@code model} for {@code request}; empty when the name matches nothing.
   *
   * @throws FrontDoor.FrontDoorException when no target can serve the request (capabilities, policy)
   */
  Optional<Resolved> route(String model, ChatRequest request, RequestFacts facts) {
    return route(model, request, facts, null);
  }

  /**
   * As {@link #route(String, ChatRequest, RequestFacts)} for a conversation ({@code key} null: none):
   * sticky, and maybe to the entry's canary.
   */
  Optional<Resolved> route(String model, ChatRequest request, RequestFacts facts, dev.sluice.routing.StickyKey key) {
    Optional<Route> route = router.route(model, health.signals(), key);
    if (route.isEmpty()) {
      return Optional.empty();
    }
    Resolved canary = CanaryWiring.divert(this, model, request, facts, key, route.get());
    if (canary != null) {
      return Optional.of(canary);
    }
    return Optional.of(new Resolved(planFor(model), Candidate.forRoute(route.get(), request, providers, adaptations,
        facts)));
  }

  /** What system prompt variables know of a request: the key's name and team, the model asked for. */
  static RequestFacts facts(Principal who, String model) {
    return who == null ? new RequestFacts(null, null, model) : new RequestFacts(who.name(), who.team(), model);
  }

  /** For fallbacks: the entry's plan and candidates, or null when it has none able to serve. */
  Resolved resolve(String model, ChatRequest request, RequestFacts facts) {
    try {
      return route(model, request.withModel(model), facts).orElse(null);
    } catch (FrontDoor.FrontDoorException notCapable) {
      return null;
    }
  }
}
