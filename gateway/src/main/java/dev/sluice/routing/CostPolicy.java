package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;

/** See {@link RoutingPolicy#cost}. */
enum CostPolicy implements RoutingPolicy {
  INSTANCE;

  @Override
  public List<Target> order(List<Target> eligible, RoutingSignals signals) {
    if (eligible.size() <= 1) {
      return eligible;
    }
    Target[] targets = Ordering.toArray(eligible);
    double[] keys = new double[targets.length];
    for (int i = 0; i < targets.length; i++) {
      keys[i] = signals.costPerMtok(targets[i]);
    }
    Ordering.sortByKey(targets, keys, 0);
    return List.of(targets);
  }
}
