package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Orders a model's eligible targets for one request; the head is tried first, the rest are the
 * fallbacks in order. Implementations are immutable and thread-safe (given a thread-safe random
 * supplier, such as {@code ThreadLocalRandom::current}), read each target's signals once per call,
 * and return a list the caller must not modify (possibly {@code eligible} itself).
 */
@FunctionalInterface
public interface RoutingPolicy {

  List<Target> order(List<Target> eligible, RoutingSignals signals);

  /**
   * The order for a request of a sticky conversation ({@code key} non-null): by default the key is
   * ignored. The weighted policy overrides it with weighted rendezvous hashing, so a conversation
   * keeps its primary while the weights still hold across conversations; priority is sticky by
   * nature (config order); latency, least-busy and cost follow live load and price, not the key.
   */
  default List<Target> order(List<Target> eligible, RoutingSignals signals, StickyKey key) {
    return order(eligible, signals);
  }

  /** {@link #order(List, RoutingSignals)} with {@link RoutingSignals#none()}. */
  default List<Target> order(List<Target> eligible) {
    return order(eligible, RoutingSignals.none());
  }

  /**
   * Weighted random order: the primary is drawn with probability weight / total, then the rest in
   * the same way among what is left, so fallbacks also follow the weights.
   */
  static RoutingPolicy weighted(Supplier<RandomGenerator> random) {
    return new WeightedPolicy(random);
  }

  /** Config order as is: the first target is the primary, the others its fallbacks in turn. */
  static RoutingPolicy priority() {
    return PriorityPolicy.INSTANCE;
  }

  /** Fewest in-flight requests first; ties broken at random. */
  static RoutingPolicy leastBusy(Supplier<RandomGenerator> random) {
    return new LeastBusyPolicy(random);
  }

  /**
   * Power of two choices on Finagle's cost, peak-EWMA time to first token × (in flight + 1): two
   * distinct targets drawn at random, the cheaper of them first, then all the others by cost (ties
   * in config order). Drawing two rather than taking the global best keeps a herd from piling on
   * one target between signal updates.
   */
  static RoutingPolicy latency(Supplier<RandomGenerator> random) {
    return new LatencyPolicy(random);
  }

  /** Cheapest {@link RoutingSignals#costPerMtok} first, unknown (NaN) last; ties in config order. */
  static RoutingPolicy cost() {
    return CostPolicy.INSTANCE;
  }

  /** The names {@link #byName} accepts. */
  static List<String> names() {
    return List.of("weighted", "priority", "least-busy", "latency", "cost");
  }

  /**
   * The policy for a config name: {@code weighted | priority | least-busy | latency | cost}
   * (case-insensitive; {@code least_busy} also works).
   *
   * @throws IllegalArgumentException listing the valid names
   */
  static RoutingPolicy byName(String name, Supplier<RandomGenerator> random) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (n) {
      case "weighted" -> weighted(random);
      case "priority" -> priority();
      case "least-busy" -> leastBusy(random);
      case "latency" -> latency(random);
      case "cost" -> cost();
      default -> throw new IllegalArgumentException(
          "unknown routing policy '" + name + "'; valid: " + String.join(", ", names()));
    };
  }
}
