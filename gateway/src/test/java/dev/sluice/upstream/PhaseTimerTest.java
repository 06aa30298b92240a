package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeTicker;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first-token / idle deadline: same expiry as a timer re-armed per slice, without the re-arming. */
class PhaseTimerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeTimers timers = new FakeTimers(ticker);
  private final List<String> expired = new ArrayList<>();
  private final PhaseTimer timer = new PhaseTimer(ticker, timers, (phase, ms) -> expired.add(phase + " " + ms));

  /** Timers driven by the fake ticker; counts the operations the real event loop would do. */
  private static final class FakeTimers implements PhaseTimer.Timers {
    private record Task(long id, long due, Handler<Long> handler) {}

    private final FakeTicker ticker;
    private final List<Task> tasks = new ArrayList<>();
    private long nextId;
    int sets;
    int cancels;

    FakeTimers(FakeTicker ticker) {
      this.ticker = ticker;
    }

    @Override
    public long set(long delayMs, Handler<Long> handler) {
      assertThat(delayMs).isPositive(); // Vert.x refuses timers under 1 ms
      sets++;
      tasks.add(new Task(nextId, ticker.nanos() + delayMs * 1_000_000, handler));
      return nextId++;
    }

    @Override
    public void cancel(long id) {
      cancels++;
      tasks.removeIf(t -> t.id == id);
    }

    int pending() {
      return tasks.size();
    }

    /** Moves time on one millisecond at a time, firing what comes due. */
    void advanceMillis(long ms) {
      for (long i = 0; i < ms; i++) {
        ticker.advanceMillis(1);
        for (Task t : List.copyOf(tasks)) {
          if (ticker.nanos() - t.due >= 0 && tasks.remove(t)) {
            t.handler.handle(t.id);
          }
        }
      }
    }
  }

  @Test
  void expiresAfterTheLimitWithoutActivity() {
    timer.arm("first token", 100);
    timers.advanceMillis(99);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("first token 100");
    timers.advanceMillis(1_000);
    assertThat(expired).hasSize(1);
  }

  @Test
  void activityPushesTheDeadlineWithoutTouchingTimers() {
    timer.arm("idle", 100);
    for (int i = 0; i < 1_000; i++) {
      timers.advanceMillis(10);
      timer.arm("idle", 100);
    }
    assertThat(expired).isEmpty();
    // 1,000 slices in ten seconds, ~110 timers: it fires every ~90-100 ms and re-arms for the rest.
    assertThat(timers.cancels).isZero();
    assertThat(timers.sets).isBetween(100, 120);
    assertThat(timers.pending()).isEqualTo(1);
  }

  @Test
  void expiresExactlyTheLimitAfterTheLastActivity() {
    timer.arm("idle", 100);
    timers.advanceMillis(70);
    timer.arm("idle", 100); // deadline now 170; the pending timer fires at 100 and re-arms for 70
    timers.advanceMillis(99);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("idle 100");
  }

  @Test
  void aShorterPhaseReplacesALongerPendingTimer() {
    timer.arm("first token", 30_000);
    timers.advanceMillis(5);
    timer.arm("idle", 50);
    assertThat(timers.cancels).isEqualTo(1);
    timers.advanceMillis(49);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("idle 50");
  }

  @Test
  void aLongerPhaseKeepsThePendingTimerAndExpiresOnItsOwnLimit() {
    timer.arm("first token", 50);
    timers.advanceMillis(10);
    timer.arm("idle", 200);
    assertThat(timers.sets).isEqualTo(1);
    timers.advanceMillis(199);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("idle 200");
  }

  @Test
  void disarmedNothingExpiresAndArmingAgainStartsAFullLimit() {
    timer.arm("idle", 100);
    timers.advanceMillis(60);
    timer.disarm(); // reading paused by backpressure
    timers.advanceMillis(500);
    assertThat(expired).isEmpty();
    timer.arm("idle", 100); // resumed
    timers.advanceMillis(99);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("idle 100");
  }

  @Test
  void aShortPauseReusesThePendingTimer() {
    timer.arm("idle", 100);
    timers.advanceMillis(20);
    timer.disarm();
    timers.advanceMillis(20);
    timer.arm("idle", 100);
    assertThat(timers.sets).isEqualTo(1);
    assertThat(timers.cancels).isZero();
    timers.advanceMillis(99);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("idle 100");
  }

  @Test
  void cancelRemovesThePendingTimer() {
    timer.arm("idle", 100);
    timer.cancel();
    assertThat(timers.pending()).isZero();
    timers.advanceMillis(1_000);
    assertThat(expired).isEmpty();
  }

  @Test
  void theTotalDeadlineHoldsWhateverThePhasesDoOnTheSameTimer() {
    timer.limitTotal(100);
    timer.arm("first token", 30);
    timers.advanceMillis(20);
    timer.arm("idle", 50); // activity: the phase moves on, the total does not
    timers.advanceMillis(40);
    timer.arm("idle", 50);
    timers.advanceMillis(39); // 99 ms in: nothing yet
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("total 100");
    assertThat(timers.pending()).isZero();
    assertThat(timers.sets).as("one timer for both deadlines, re-armed as each fires early").isLessThanOrEqualTo(4);
  }

  @Test
  void aPhaseStillExpiresBeforeTheTotal() {
    timer.limitTotal(1_000);
    timer.arm("first token", 50);
    timers.advanceMillis(49);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("first token 50");
    timers.advanceMillis(2_000);
    assertThat(expired).as("expired once: the call is failed").containsExactly("first token 50");
  }

  @Test
  void whilePausedOnlyTheTotalRuns() {
    timer.limitTotal(200);
    timer.arm("idle", 50);
    timer.disarm();
    timers.advanceMillis(199);
    assertThat(expired).isEmpty();
    timers.advanceMillis(1);
    assertThat(expired).containsExactly("total 200");
  }

  @Test
  void cancelRemovesTheTotalToo() {
    timer.limitTotal(100);
    timer.arm("first token", 50);
    timer.cancel();
    timers.advanceMillis(500);
    assertThat(expired).isEmpty();
    assertThat(timers.pending()).isZero();
  }
}
