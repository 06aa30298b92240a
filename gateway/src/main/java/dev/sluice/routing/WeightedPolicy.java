package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** See {@link RoutingPolicy#weighted}. Ignores the signals. Thread-safe when the random supplier is. */
final class WeightedPolicy implements RoutingPolicy {
  private final Supplier<RandomGenerator> random;

  WeightedPolicy(Supplier<RandomGenerator> random) {
    this.random = random;
  }

  /** With a key: the same order for the same conversation, weights holding across conversations ({@link Rendezvous}). */
  @Override
  public List<Target> order(List<Target> eligible, RoutingSignals signals, StickyKey key) {
    return key == null ? order(eligible, signals) : Rendezvous.order(eligible, key);
  }

  @Override
  public List<Target> order(List<Target> eligible, RoutingSignals signals) {
    if (eligible.size() <= 1) {
      return eligible;
    }
    List<Target> left = new ArrayList<>(eligible);
    List<Target> ordered = new ArrayList<>(eligible.size());
    RandomGenerator rnd = random.get();
    while (!left.isEmpty()) {
      long total = 0;
      for (Target t : left) {
        total += t.weight();
      }
      long pick = rnd.nextLong(total);
      int i = 0;
      while (pick >= left.get(i).weight()) {
        pick -= left.get(i).weight();
        i++;
      }
      ordered.add(left.remove(i));
    }
    return ordered;
  }
}
