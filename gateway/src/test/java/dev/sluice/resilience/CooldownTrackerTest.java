package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Target;
import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CooldownTrackerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final CooldownTracker cooldowns = new CooldownTracker(ticker);
  private final Target a = new Target("p1", "m", 1);
  private final Target b = new Target("p2", "m", 1);

  @Test
  void coolsDownForTheGivenDurationThenComesBack() {
    assertThat(cooldowns.isCooling(a)).isFalse();
    assertThat(cooldowns.remaining(a)).isZero();
    cooldowns.coolDown(a, Duration.ofSeconds(20));
    assertThat(cooldowns.isCooling(a)).isTrue();
    assertThat(cooldowns.isCooling(b)).isFalse();
    ticker.advanceSeconds(5);
    assertThat(cooldowns.remaining(a)).isEqualTo(Duration.ofSeconds(15));
    ticker.advanceSeconds(15);
    assertThat(cooldowns.isCooling(a)).isFalse();
    assertThat(cooldowns.remaining(a)).isZero();
  }

  @Test
  void aShorterCooldownNeverShortensOneInForce() {
    cooldowns.coolDown(a, Duration.ofSeconds(60));
    cooldowns.coolDown(a, Duration.ofSeconds(5));
    assertThat(cooldowns.remaining(a)).isEqualTo(Duration.ofSeconds(60));
    cooldowns.coolDown(a, Duration.ofSeconds(90));
    assertThat(cooldowns.remaining(a)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void zeroNegativeOrMissingDurationsDoNothing() {
    cooldowns.coolDown(a, Duration.ZERO);
    cooldowns.coolDown(a, Duration.ofSeconds(-3));
    cooldowns.coolDown(a, null);
    assertThat(cooldowns.isCooling(a)).isFalse();
  }

  @Test
  void keyedByLabelNotByWeight() {
    cooldowns.coolDown(a, Duration.ofSeconds(1));
    assertThat(cooldowns.isCooling(new Target("p1", "m", 5))).isTrue();
  }

  @Test
  void notCoolingFiltersInOrder() {
    Target c = new Target("p3", "m", 1);
    List<Target> all = List.of(a, b, c);
    assertThat(cooldowns.notCooling(all)).isSameAs(all);
    cooldowns.coolDown(b, Duration.ofSeconds(1));
    assertThat(cooldowns.notCooling(all)).containsExactly(a, c);
    ticker.advanceSeconds(1);
    assertThat(cooldowns.notCooling(all)).containsExactly(a, b, c);
  }

  @Test
  void survivesTheTickerWrappingAround() {
    FakeTicker nearTheEnd = new FakeTicker(Long.MAX_VALUE - 1_000);
    CooldownTracker t = new CooldownTracker(nearTheEnd);
    t.coolDown(a, Duration.ofSeconds(10));
    assertThat(t.isCooling(a)).isTrue();
    nearTheEnd.advanceSeconds(9);
    assertThat(t.remaining(a)).isEqualTo(Duration.ofSeconds(1).plusNanos(0));
    nearTheEnd.advanceSeconds(1);
    assertThat(t.isCooling(a)).isFalse();
  }
}
