package dev.sluice.routing;

import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the model name a client sent to an ordered list of targets: a configured model entry,
 * or {@code provider/model} straight to a configured provider. Immutable and thread-safe.
 */
public final class ModelRouter {
  private final Map<String, ModelEntry> entries = new HashMap<>();
  private final List<ModelEntry> ordered;
  private final Set<String> providers;
  private final RoutingPolicy policy;
  private final ParamPolicy directParams;

  /** @param directParams the unsupported-parameter policy of {@code provider/model} requests */
  public ModelRouter(List<ModelEntry> models, Set<String> providers, RoutingPolicy policy, ParamPolicy directParams) {
    this.directParams = directParams;
    this.ordered = List.copyOf(models);
    this.providers = Set.copyOf(providers);
    this.policy = policy;
    for (ModelEntry m : models) {
      entries.put(m.name(), m);
    }
  }

  /** {@link #route(String, RoutingSignals)} without signals ({@link RoutingSignals#none()}). */
  public Optional<Route> route(String model) {
    return route(model, RoutingSignals.none());
  }

  /**
   * Targets to try, best first, ordered by the policy with the given live signals; empty when the
   * name matches nothing configured.
   */
  public Optional<Route> route(String model, RoutingSignals signals) {
    return route(model, signals, null);
  }

  /**
   * As {@link #route(String, RoutingSignals)} for a conversation's {@code key} (null: none): an entry
   * that is sticky orders its targets with {@link RoutingPolicy#order(List, RoutingSignals, StickyKey)}.
   */
  public Optional<Route> route(String model, RoutingSignals signals, StickyKey key) {
    ModelEntry entry = entries.get(model);
    if (entry != null) {
      RoutingPolicy order = entry.routing() != null ? entry.routing() : policy;
      List<Target> targets = key != null && entry.sticky() ? order.order(entry.targets(), signals, key)
          : order.order(entry.targets(), signals);
      return Optional.of(new Route(targets, entry.unsupportedParams()));
    }
    int slash = model.indexOf('/');
    if (slash > 0 && slash < model.length() - 1) {
      String provider = model.substring(0, slash);
      if (providers.contains(provider)) {
        return Optional.of(new Route(List.of(new Target(provider, model.substring(slash + 1), 1)), directParams));
      }
    }
    return Optional.empty();
  }

  /** The entry named {@code model}, or null. */
  public ModelEntry entry(String model) {
    return entries.get(model);
  }

  /** The configured model entries, in config order (for {@code GET /v1/models}). */
  public List<ModelEntry> models() {
    return ordered;
  }
}
