package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** See {@link RoutingPolicy#leastBusy}. Thread-safe when the random supplier is. */
final class LeastBusyPolicy implements RoutingPolicy {
  private final Supplier<RandomGenerator> random;

  LeastBusyPolicy(Supplier<RandomGenerator> random) {
    this.random = random;
  }

  @Override
  public List<Target> order(List<Target> eligible, RoutingSignals signals) {
    if (eligible.size() <= 1) {
      return eligible;
    }
    Target[] targets = Ordering.toArray(eligible);
    Ordering.shuffle(targets, random.get()); // a stable sort of a shuffle breaks ties at random
    double[] keys = new double[targets.length];
    for (int i = 0; i < targets.length; i++) {
      keys[i] = signals.inFlight(targets[i]);
    }
    Ordering.sortByKey(targets, keys, 0);
    return List.of(targets);
  }
}
