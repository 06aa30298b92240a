package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** See {@link RoutingPolicy#latency}. Thread-safe when the random supplier is. */
final class LatencyPolicy implements RoutingPolicy {
  private final Supplier<RandomGenerator> random;

  LatencyPolicy(Supplier<RandomGenerator> random) {
    this.random = random;
  }

  /** Finagle's load metric: expected latency times the queue a new request would join. NaN sorts last. */
  static double cost(RoutingSignals signals, Target t) {
    return signals.ewmaTtftNanos(t) * (signals.inFlight(t) + 1.0);
  }

  @Override
  public List<Target> order(List<Target> eligible, RoutingSignals signals) {
    int n = eligible.size();
    if (n <= 1) {
      return eligible;
    }
    Target[] targets = Ordering.toArray(eligible);
    double[] costs = new double[n];
    for (int i = 0; i < n; i++) {
      costs[i] = cost(signals, targets[i]);
    }
    RandomGenerator rnd = random.get();
    int a = rnd.nextInt(n);
    int b = rnd.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    int winner = Double.compare(costs[b], costs[a]) < 0 ? b : a;
    // Move the winner to the front, keeping the others in config order, then sort those by cost.
    Target w = targets[winner];
    double wc = costs[winner];
    System.arraycopy(targets, 0, targets, 1, winner);
    System.arraycopy(costs, 0, costs, 1, winner);
    targets[0] = w;
    costs[0] = wc;
    Ordering.sortByKey(targets, costs, 1);
    return List.of(targets);
  }
}
