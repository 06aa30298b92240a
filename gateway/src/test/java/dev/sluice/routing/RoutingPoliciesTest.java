package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RoutingPoliciesTest {
  private static final Target A = new Target("a", "m", 1);
  private static final Target B = new Target("b", "m", 1);
  private static final Target C = new Target("c", "m", 1);
  private static final Target D = new Target("d", "m", 1);
  private static final List<Target> ABCD = List.of(A, B, C, D);

  /** Fixed signals per target; anything not set is 0 (latency, in flight) or NaN (cost). */
  private static final class Signals implements RoutingSignals {
    final Map<Target, Double> ewma = new HashMap<>();
    final Map<Target, Integer> inFlight = new HashMap<>();
    final Map<Target, Double> cost = new HashMap<>();

    @Override
    public double ewmaTtftNanos(Target t) {
      return ewma.getOrDefault(t, 0.0);
    }

    @Override
    public int inFlight(Target t) {
      return inFlight.getOrDefault(t, 0);
    }

    @Override
    public double costPerMtok(Target t) {
      return cost.getOrDefault(t, Double.NaN);
    }
  }

  private static Supplier<RandomGenerator> seeded(long seed) {
    RandomGenerator r = new SplittableRandom(seed);
    return () -> r;
  }

  @Test
  void priorityKeepsConfigOrder() {
    Signals s = new Signals();
    s.inFlight.put(A, 100);
    s.cost.put(A, 99.0);
    assertThat(RoutingPolicy.priority().order(ABCD, s)).containsExactly(A, B, C, D);
    assertThat(RoutingPolicy.priority().order(ABCD)).containsExactly(A, B, C, D);
  }

  @Test
  void leastBusyPutsFewestInFlightFirst() {
    Signals s = new Signals();
    s.inFlight.put(A, 5);
    s.inFlight.put(B, 1);
    s.inFlight.put(C, 3);
    s.inFlight.put(D, 0);
    RoutingPolicy p = RoutingPolicy.leastBusy(seeded(1));
    for (int i = 0; i < 50; i++) {
      assertThat(p.order(ABCD, s)).containsExactly(D, B, C, A);
    }
  }

  @Test
  void leastBusyBreaksTiesAtRandom() {
    Signals s = new Signals();
    s.inFlight.put(D, 9);
    RoutingPolicy p = RoutingPolicy.leastBusy(seeded(2));
    Map<Target, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      List<Target> order = p.order(ABCD, s);
      assertThat(order.get(3)).isEqualTo(D);
      firsts.merge(order.get(0), 1, Integer::sum);
    }
    assertThat(firsts).containsOnlyKeys(A, B, C);
    assertThat(firsts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1_150));
  }

  @Test
  void latencyP2cPicksTheFasterOfTwoMostOfTheTime() {
    Signals s = new Signals();
    s.ewma.put(A, 2_000e6);
    s.ewma.put(B, 100e6); // the fast one
    s.ewma.put(C, 1_500e6);
    s.ewma.put(D, 1_800e6);
    RoutingPolicy p = RoutingPolicy.latency(seeded(3));
    Map<Target, Integer> firsts = new HashMap<>();
    int runs = 6_000;
    for (int i = 0; i < runs; i++) {
      List<Target> order = p.order(ABCD, s);
      firsts.merge(order.get(0), 1, Integer::sum);
      // After the head, everything else is by cost.
      List<Target> rest = order.subList(1, 4);
      for (int k = 1; k < rest.size(); k++) {
        assertThat(s.ewma.get(rest.get(k - 1))).isLessThanOrEqualTo(s.ewma.get(rest.get(k)));
      }
    }
    // B leads whenever it is one of the two drawn: 1 - C(3,2)/C(4,2) = 1/2 of the time.
    assertThat(firsts.get(B)).isBetween((int) (runs * 0.47), (int) (runs * 0.53));
    // A, the slowest, can never win a draw of two.
    assertThat(firsts).doesNotContainKey(A);
    // The second fastest wins when drawn without B: 2 of 6 pairs.
    assertThat(firsts.get(C)).isBetween((int) (runs * 0.30), (int) (runs * 0.37));
  }

  @Test
  void latencyWithTwoTargetsAlwaysLeadsWithTheCheaper() {
    Signals s = new Signals();
    s.ewma.put(A, 900e6);
    s.ewma.put(B, 300e6);
    RoutingPolicy p = RoutingPolicy.latency(seeded(4));
    for (int i = 0; i < 100; i++) {
      assertThat(p.order(List.of(A, B), s)).containsExactly(B, A);
    }
  }

  @Test
  void latencyCostCountsTheQueue() {
    Signals s = new Signals();
    s.ewma.put(A, 300e6);
    s.ewma.put(B, 500e6);
    s.inFlight.put(A, 2); // 900ms of expected wait against 500ms
    assertThat(RoutingPolicy.latency(seeded(5)).order(List.of(A, B), s)).containsExactly(B, A);
  }

  @Test
  void latencyWithoutSignalsSpreadsAtRandomAndKeepsTheRestInConfigOrder() {
    RoutingPolicy p = RoutingPolicy.latency(seeded(6));
    Map<Target, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 4_000; i++) {
      List<Target> order = p.order(ABCD, RoutingSignals.none());
      firsts.merge(order.get(0), 1, Integer::sum);
      assertThat(order).containsExactlyInAnyOrder(A, B, C, D);
      List<Target> rest = new java.util.ArrayList<>(ABCD);
      rest.remove(order.get(0));
      assertThat(order.subList(1, 4)).isEqualTo(rest);
    }
    assertThat(firsts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1_150));
  }

  @Test
  void costPutsCheapestFirstUnknownLastTiesInConfigOrder() {
    Signals s = new Signals();
    s.cost.put(A, 15.0);
    s.cost.put(C, 0.6);
    s.cost.put(D, 15.0);
    // B's cost is unknown (NaN)
    assertThat(RoutingPolicy.cost().order(ABCD, s)).containsExactly(C, A, D, B);
    assertThat(RoutingPolicy.cost().order(ABCD)).as("all unknown: config order").containsExactly(A, B, C, D);
  }

  @Test
  void weightedIgnoresSignalsAndFollowsWeights() {
    Target heavy = new Target("h", "m", 9);
    Target light = new Target("l", "m", 1);
    Signals s = new Signals();
    s.inFlight.put(heavy, 1_000);
    RoutingPolicy p = RoutingPolicy.weighted(seeded(7));
    int heavyFirst = 0;
    for (int i = 0; i < 2_000; i++) {
      if (p.order(List.of(light, heavy), s).get(0).equals(heavy)) {
        heavyFirst++;
      }
    }
    assertThat(heavyFirst).isBetween(1_740, 1_860);
  }

  @Test
  void singleTargetListsComeBackAsIs() {
    List<Target> one = List.of(A);
    for (String name : RoutingPolicy.names()) {
      assertThat(RoutingPolicy.byName(name, seeded(8)).order(one, RoutingSignals.none())).containsExactly(A);
    }
  }

  @Test
  void byNameKnowsEveryPolicy() {
    Signals s = new Signals();
    s.cost.put(D, 1.0);
    s.inFlight.put(A, 1);
    s.inFlight.put(B, 1);
    s.inFlight.put(C, 1);
    assertThat(RoutingPolicy.byName("priority", seeded(9)).order(ABCD, s)).containsExactly(A, B, C, D);
    assertThat(RoutingPolicy.byName("cost", seeded(9)).order(ABCD, s).get(0)).isEqualTo(D);
    assertThat(RoutingPolicy.byName("least-busy", seeded(9)).order(ABCD, s).get(0)).isEqualTo(D);
    assertThat(RoutingPolicy.byName("Least_Busy", seeded(9)).order(ABCD, s).get(0)).isEqualTo(D);
    assertThat(RoutingPolicy.byName("latency", seeded(9)).order(ABCD, s)).hasSize(4);
    assertThat(RoutingPolicy.byName("weighted", seeded(9)).order(ABCD, s)).hasSize(4);
  }

  @Test
  void byNameRejectsUnknownNamesListingTheValidOnes() {
    assertThatThrownBy(() -> RoutingPolicy.byName("fastest", seeded(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fastest'")
        .hasMessageContaining("weighted, priority, least-busy, latency, cost");
    assertThatThrownBy(() -> RoutingPolicy.byName(null, seeded(10))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void policiesNeverChangeTheirInput() {
    List<Target> input = new java.util.ArrayList<>(ABCD);
    Signals s = new Signals();
    s.inFlight.put(A, 3);
    s.cost.put(D, 0.1);
    for (String name : RoutingPolicy.names()) {
      RoutingPolicy.byName(name, seeded(11)).order(input, s);
      assertThat(input).containsExactly(A, B, C, D);
    }
  }
}
