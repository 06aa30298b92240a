package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.function.Supplier;

/** Orders a model's eligible targets for one request; the head is tried first. */
@FunctionalInterface
public interface RoutingPolicy {

  List<Target> order(List<Target> eligible);

  /**
   * Weighted random order: the primary is drawn with probability weight / total, then the rest in
   * the same way among what is left, so fallbacks also follow the weights.
   */
  static RoutingPolicy weighted(Supplier<RandomGenerator> random) {
    return new WeightedPolicy(random);
  }
}
