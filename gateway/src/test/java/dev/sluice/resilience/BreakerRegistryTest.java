package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Target;
import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreakerRegistryTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Target a = new Target("p1", "m", 1);
  private final Target b = new Target("p2", "m", 1);
  private final Target c = new Target("p3", "m", 1);
  private final List<Target> ordered = List.of(a, b, c);

  private static void trip(CircuitBreaker breaker) {
    while (breaker.state() != BreakerState.OPEN) {
      breaker.tryAcquire();
      breaker.onFailure();
    }
  }

  @Test
  void oneBreakerPerTargetLabelWithItsOwnConfig() {
    BreakerRegistry registry = new BreakerRegistry(
        t -> t.provider().equals("p1") ? BreakerConfig.defaults().withConsecutiveFailures(1) : BreakerConfig.defaults(),
        ticker);
    assertThat(registry.forTarget(a)).isSameAs(registry.forTarget(new Target("p1", "m", 7)));
    assertThat(registry.forTarget(a).config().consecutiveFailures()).isEqualTo(1);
    assertThat(registry.forTarget(b).config().consecutiveFailures()).isEqualTo(5);
  }

  @Test
  void snapshotReportsEachStateByLabel() {
    BreakerRegistry registry = BreakerRegistry.withDefaults(ticker);
    registry.forTarget(a);
    trip(registry.forTarget(b));
    assertThat(registry.snapshot()).containsExactly(
        java.util.Map.entry("p1/m", BreakerState.CLOSED), java.util.Map.entry("p2/m", BreakerState.OPEN));
  }

  @Test
  void listenerHearsEveryTransitionWithItsTarget() {
    List<String> heard = new ArrayList<>();
    BreakerRegistry registry = new BreakerRegistry(t -> BreakerConfig.defaults(), ticker,
        (t, s) -> heard.add(t.label() + "=" + s));
    trip(registry.forTarget(a));
    ticker.advanceSeconds(30);
    registry.forTarget(a).tryAcquire();
    registry.forTarget(a).onSuccess();
    assertThat(heard).containsExactly("p1/m=OPEN", "p1/m=HALF_OPEN", "p1/m=CLOSED");
  }

  @Test
  void admissibleDropsOpenTargetsKeepingOrder() {
    BreakerRegistry registry = BreakerRegistry.withDefaults(ticker);
    assertThat(registry.admissible(ordered)).isSameAs(ordered);
    trip(registry.forTarget(b));
    assertThat(registry.admissible(ordered)).containsExactly(a, c);
    trip(registry.forTarget(a));
    assertThat(registry.admissible(ordered)).containsExactly(c);
    assertThat(registry.anyAvailable(ordered)).isTrue();
  }

  @Test
  void admissibleKeepsOpenTargetsWhoseCooldownElapsed() {
    BreakerRegistry registry = BreakerRegistry.withDefaults(ticker);
    trip(registry.forTarget(a));
    ticker.advance(Duration.ofSeconds(29));
    assertThat(registry.admissible(ordered)).containsExactly(b, c);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(registry.admissible(ordered)).containsExactly(a, b, c);
    assertThat(registry.forTarget(a).tryAcquire()).as("it is due for a probe").isTrue();
    assertThat(registry.admissible(ordered)).as("half-open is not open").containsExactly(a, b, c);
  }

  @Test
  void panicModeReturnsAllWhenAllOpen() {
    BreakerRegistry registry = BreakerRegistry.withDefaults(ticker);
    ordered.forEach(t -> trip(registry.forTarget(t)));
    assertThat(registry.admissible(ordered)).isSameAs(ordered);
    assertThat(registry.anyAvailable(ordered)).isFalse();
  }
}
