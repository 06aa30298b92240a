package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Sticky routing: a conversation's key picks the weighted policy's primary by weighted rendezvous
 * hashing. Bounds are many standard deviations wide with fixed session names, so they cannot flake.
 */
class StickyRoutingTest {
  private static final Target A = new Target("a", "m", 5);
  private static final Target B = new Target("b", "m", 3);
  private static final Target C = new Target("c", "m", 2);
  private static final int SESSIONS = 10_000;

  private static ModelRouter router(boolean sticky, RoutingPolicy policy, Target... targets) {
    return new ModelRouter(List.of(new ModelEntry("chat", List.of(targets), ParamPolicy.DROP, policy, sticky)),
        Set.of("a", "b", "c", "d"), RoutingPolicy.weighted(ThreadLocalRandom::current), ParamPolicy.DROP);
  }

  private static Target primary(ModelRouter r, String session) {
    return r.route("chat", RoutingSignals.none(), StickyKey.of(session)).orElseThrow().targets().get(0);
  }

  @Test
  void aSessionStaysOnItsTargetAcrossManyRequests() {
    ModelRouter r = router(true, null, A, B, C);
    for (int s = 0; s < 200; s++) {
      String session = "conversation-" + s;
      List<Target> first = r.route("chat", RoutingSignals.none(), StickyKey.of(session)).orElseThrow().targets();
      assertThat(first).containsExactlyInAnyOrder(A, B, C); // fallbacks are still all there
      for (int i = 0; i < 50; i++) {
        assertThat(r.route("chat", RoutingSignals.none(), StickyKey.of(session)).orElseThrow().targets())
            .isEqualTo(first);
      }
    }
  }

  @Test
  void sessionsSpreadOverTargetsByWeight() {
    ModelRouter r = router(true, null, A, B, C);
    Map<Target, Integer> counts = new HashMap<>();
    SplittableRandom names = new SplittableRandom(42);
    for (int s = 0; s < SESSIONS; s++) {
      counts.merge(primary(r, "user-" + names.nextLong()), 1, Integer::sum);
    }
    // Expected 5000 / 3000 / 2000; one sigma is at most 50 sessions: +-250 is five sigma.
    assertThat(counts.get(A)).isBetween(4750, 5250);
    assertThat(counts.get(B)).isBetween(2750, 3250);
    assertThat(counts.get(C)).isBetween(1750, 2250);
  }

  @Test
  void addingATargetMovesOnlyTheSessionsItTakes() {
    ModelRouter before = router(true, null, A, B, C);
    Target d = new Target("d", "m", 10);
    ModelRouter after = router(true, null, A, B, C, d);
    int moved = 0;
    int movedElsewhere = 0;
    for (int s = 0; s < SESSIONS; s++) {
      String session = "session-" + s;
      Target was = primary(before, session);
      Target now = primary(after, session);
      if (!was.equals(now)) {
        moved++;
        if (!now.equals(d)) {
          movedElsewhere++;
        }
      }
    }
    assertThat(movedElsewhere).as("a session either stays or goes to the new target").isZero();
    // d has half the total weight: about 5000 sessions move (sigma 50).
    assertThat(moved).isBetween(4750, 5250);
  }

  @Test
  void withoutAKeyOrWithStickyOffRoutingIsRandomByWeight() {
    ModelRouter off = router(false, null, A, B, C);
    Set<Target> seen = new java.util.HashSet<>();
    for (int i = 0; i < 500; i++) {
      seen.add(primary(off, "the-same-session"));
    }
    assertThat(seen).as("sticky: false ignores the key").hasSize(3);
    ModelRouter on = router(true, null, A, B, C);
    seen.clear();
    for (int i = 0; i < 500; i++) {
      seen.add(on.route("chat", RoutingSignals.none(), null).orElseThrow().targets().get(0));
    }
    assertThat(seen).as("no key: today's weighted random").hasSize(3);
  }

  @Test
  void signalDrivenPoliciesIgnoreTheKey() {
    RoutingSignals busyA = new RoutingSignals() {
      @Override
      public double ewmaTtftNanos(Target t) {
        return 0;
      }

      @Override
      public int inFlight(Target t) {
        return t.equals(A) ? 10 : 0;
      }

      @Override
      public double costPerMtok(Target t) {
        return t.equals(C) ? 1 : 5;
      }
    };
    ModelRouter cost = router(true, RoutingPolicy.cost(), A, B, C);
    ModelRouter priority = router(true, RoutingPolicy.priority(), A, B, C);
    for (int s = 0; s < 100; s++) {
      StickyKey k = StickyKey.of("s-" + s);
      assertThat(cost.route("chat", busyA, k).orElseThrow().targets().get(0)).isEqualTo(C);
      assertThat(priority.route("chat", busyA, k).orElseThrow().targets()).containsExactly(A, B, C);
    }
  }

  @Test
  void theKeyIsAHashAndBlankMeansNone() {
    assertThat(StickyKey.of(null)).isNull();
    assertThat(StickyKey.of("  ")).isNull();
    assertThat(StickyKey.of("alice")).isEqualTo(StickyKey.of("alice"));
    assertThat(StickyKey.of("alice")).isNotEqualTo(StickyKey.of("bob"));
    assertThat(StickyKey.of("alice").toString()).doesNotContain("alice");
  }
}
