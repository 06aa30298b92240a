package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightGuardTest {

  @Test
  void neverMoreThanTheMaximumInFlightHoweverManyRace() throws Exception {
    InFlightGuard guard = new InFlightGuard(7);
    List<Boolean> got = Parallel.run(100, 8, guard::tryAcquire);

    assertThat(got).filteredOn(b -> b).hasSize(7);
    assertThat(guard.inFlight()).isEqualTo(7);
  }

  @Test
  void aReleasedSlotCanBeTakenAgain() {
    InFlightGuard guard = new InFlightGuard(1);
    assertThat(guard.tryAcquire()).isTrue();
    assertThat(guard.tryAcquire()).isFalse();
    guard.release();
    assertThat(guard.tryAcquire()).isTrue();
  }

  @Test
  void releasingMoreThanWasAcquiredIsABug() {
    InFlightGuard guard = new InFlightGuard(1);
    assertThatThrownBy(guard::release).isInstanceOf(IllegalStateException.class);
    assertThat(guard.inFlight()).isZero();
  }
}
