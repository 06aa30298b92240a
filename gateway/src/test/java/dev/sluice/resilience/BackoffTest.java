package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = Backoff.defaults();

  @Test
  void ceilingDoublesFromBaseUpToCap() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
    assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void delaysStayWithinZeroAndTheCeilingAndSpreadAcrossIt() {
    RandomGenerator random = new SplittableRandom(42);
    for (int n = 1; n <= 8; n++) {
      Duration ceiling = backoff.ceiling(n);
      Duration min = ceiling;
      Duration max = Duration.ZERO;
      for (int i = 0; i < 2_000; i++) {
        Duration d = backoff.delay(n, random);
        assertThat(d).isBetween(Duration.ZERO, ceiling);
        min = d.compareTo(min) < 0 ? d : min;
        max = d.compareTo(max) > 0 ? d : max;
      }
      assertThat(min).as("full jitter reaches near zero").isLessThan(ceiling.dividedBy(20));
      assertThat(max).as("and near the ceiling").isGreaterThan(ceiling.multipliedBy(19).dividedBy(20));
    }
  }

  @Test
  void retryAfterIsAFloorOnTheDelay() {
    RandomGenerator random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.delay(1, random, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
      assertThat(backoff.delay(3, random, Duration.ofMillis(1))).isBetween(Duration.ofMillis(1), Duration.ofMillis(400));
      assertThat(backoff.delay(3, random, null)).isBetween(Duration.ZERO, Duration.ofMillis(400));
    }
  }

  @Test
  void sameSeedSameDelays() {
    RandomGenerator r1 = new SplittableRandom(1);
    RandomGenerator r2 = new SplittableRandom(1);
    for (int n = 1; n < 10; n++) {
      assertThat(backoff.delay(n, r1)).isEqualTo(backoff.delay(n, r2));
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> backoff.delay(0, new SplittableRandom(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Backoff(Duration.ZERO, Duration.ZERO).delay(3, new SplittableRandom(1))).isZero();
  }
}
