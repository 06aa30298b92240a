package dev.sluice.switching.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Await;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowGateTest {
  private static final Clock DAY1 = Clock.fixed(Instant.parse("2026-12-04T23:00:00Z"), ZoneOffset.UTC);

  private static ShadowDrop dropped(ShadowGate gate, long worst) {
    Throwable t = Await.failure(gate.admit(worst));
    return ((ShadowGate.Dropped) t).reason();
  }

  @Test
  void sampleZeroNeverAndOneAlways() {
    assertThat(new ShadowGate("k", 0, 1, -1, ShadowSpend.local(), DAY1, () -> 0.0).sampled()).isFalse();
    assertThat(new ShadowGate("k", 1, 1, -1, ShadowSpend.local(), DAY1, () -> 0.999).sampled()).isTrue();
    assertThat(new ShadowGate("k", 0.05, 1, -1, ShadowSpend.local(), DAY1, () -> 0.04).sampled()).isTrue();
    assertThat(new ShadowGate("k", 0.05, 1, -1, ShadowSpend.local(), DAY1, () -> 0.05).sampled()).isFalse();
  }

  @Test
  void concurrencyCapHoldsUntilAPermitIsReleased() {
    ShadowGate gate = new ShadowGate("k", 1, 2, -1, ShadowSpend.local(), DAY1, () -> 0);
    ShadowGate.Permit a = Await.await(gate.admit(0));
    ShadowGate.Permit b = Await.await(gate.admit(0));
    assertThat(dropped(gate, 0)).isEqualTo(ShadowDrop.CONCURRENCY);
    a.release(0);
    a.release(0); // a second release frees nothing more
    assertThat(gate.inFlight()).isEqualTo(1);
    ShadowGate.Permit c = Await.await(gate.admit(0));
    assertThat(dropped(gate, 0)).isEqualTo(ShadowDrop.CONCURRENCY);
    b.release(0);
    c.release(0);
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void spendCapReservesTheWorstCaseAndSettlesOnTheActualCost() {
    ShadowSpend spend = ShadowSpend.local();
    ShadowGate gate = new ShadowGate("chat:cand", 1, 100, 5_000_000, spend, DAY1, () -> 0);
    List<ShadowGate.Permit> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(Await.await(gate.admit(1_000_000)));
    }
    assertThat(dropped(gate, 1_000_000)).isEqualTo(ShadowDrop.SPEND_CAP);
    assertThat(gate.inFlight()).as("a refused call gives its concurrency slot back").isEqualTo(5);
    held.get(0).release(100_000); // cost a tenth of its worst case: 900,000 micro-USD come back
    assertThat(Await.await(spend.spent("chat:cand", "2026-12-04"))).isEqualTo(4_100_000);
    Await.await(gate.admit(900_000));
    assertThat(dropped(gate, 1)).isEqualTo(ShadowDrop.SPEND_CAP);
  }

  @Test
  void theCapIsPerUtcDay() {
    ShadowSpend spend = ShadowSpend.local();
    Await.await(new ShadowGate("k", 1, 10, 1_000, spend, DAY1, () -> 0).admit(1_000));
    assertThat(dropped(new ShadowGate("k", 1, 10, 1_000, spend, DAY1, () -> 0), 1)).isEqualTo(ShadowDrop.SPEND_CAP);
    Clock day2 = Clock.fixed(Instant.parse("2026-12-05T00:00:01Z"), ZoneOffset.UTC);
    Await.await(new ShadowGate("k", 1, 10, 1_000, spend, day2, () -> 0).admit(1_000));
  }
}
