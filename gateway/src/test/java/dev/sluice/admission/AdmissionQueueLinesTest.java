package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeTicker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a waiter's predicted wait counts: only the waiters ahead of it that wait for the same limit,
 * at the pace that limit has been served; and a waiter that leaves is out of every count at once.
 */
class AdmissionQueueLinesTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeAdmissionTimers scheduler = new FakeAdmissionTimers(ticker);

  /** A limit called {@code name} with {@code free} units; a waiter it refuses waits for {@code name}. */
  private static final class Gate {
    final String name;
    int free;
    int taken;

    Gate(String name, int free) {
      this.name = name;
      this.free = free;
    }

    AdmissionAttempt<Void> attempt() {
      return new AdmissionAttempt<>() {
        @Override
        public Future<Decision<Void>> tryAdmit() {
          synchronized (Gate.this) {
            if (free > 0) {
              free--;
              taken++;
              return Future.succeededFuture(Decision.admit(null));
            }
          }
          return Future.succeededFuture(Decision.notYet(null, name));
        }

        @Override
        public void abandon(Void value) {
          free(1);
        }
      };
    }

    synchronized void free(int n) {
      free += n;
    }
  }

  private AdmissionQueue queue() {
    return new AdmissionQueue(1000, Duration.ofSeconds(30), ticker, scheduler);
  }

  /** Frees one unit of {@code gate} every {@code every}, {@code times} times, waking the queue each time. */
  private void serve(AdmissionQueue q, Gate gate, int times, Duration every) {
    for (int i = 0; i < times; i++) {
      scheduler.advance(every);
      gate.free(1);
      q.signal();
    }
  }

  private static List<Waiter<Void>> enqueue(AdmissionQueue q, String tenant, int n, Duration remaining, Gate gate) {
    List<Waiter<Void>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(q.enqueue(tenant, Priority.NORMAL, remaining, gate.attempt()));
    }
    return out;
  }

  private static Shed shedReason(Waiter<?> w) {
    assertThat(w.ticket().failed()).as("shed").isTrue();
    return ((ShedException) w.ticket().cause()).reason();
  }

  @Test
  void aBacklogOnOneTenantsRateLimitDoesNotCountTowardTheWaitForATarget() {
    Gate rpm = new Gate("key:a", 0);
    Gate slots = new Gate("target:n", 0);
    AdmissionQueue q = queue();
    enqueue(q, "a", 30, null, rpm);
    serve(q, rpm, 10, Duration.ofSeconds(1)); // tenant a's line: 20 left, served one a second

    // 20 requests of tenant b for a full target, 5 s to live each. In one queue with one pace they
    // would stand behind a's waiters at a second each and be shed; a's backlog is not theirs.
    List<Waiter<Void>> b = enqueue(q, "b", 20, Duration.ofSeconds(5), slots);

    assertThat(b).noneMatch(w -> w.ticket().isComplete());
    assertThat(q.waiting("target:n")).isEqualTo(20);
    assertThat(q.waiting("key:a")).isEqualTo(20);
    assertThat(q.size()).isEqualTo(40);

    serve(q, slots, 20, Duration.ofMillis(50));

    assertThat(b).allMatch(w -> w.ticket().succeeded());
    assertThat(q.waiting("target:n")).isZero();
    assertThat(q.waiting("key:a")).as("a's backlog waits on for its own limit").isEqualTo(20);
    // Waiters of the same limit still count: tenant a's next request has 20 ahead at a second each.
    Waiter<Void> late = q.enqueue("a", Priority.NORMAL, Duration.ofSeconds(5), rpm.attempt());
    assertThat(shedReason(late)).isEqualTo(Shed.WAIT_TOO_LONG);
  }

  @Test
  void eachLimitsWaitIsPredictedAtThePaceThatLimitHasBeenServed() {
    Gate slots = new Gate("target:n", 0);
    Gate rpm = new Gate("key:a", 0);
    AdmissionQueue q = queue();
    enqueue(q, "b", 40, null, slots);
    serve(q, slots, 20, Duration.ofMillis(50)); // the target: 20 left, one every 50 ms
    enqueue(q, "a", 30, null, rpm);
    serve(q, rpm, 10, Duration.ofSeconds(1)); // the key, served last: 20 left, one a second

    Waiter<Void> target = q.enqueue("b", Priority.NORMAL, Duration.ofSeconds(3), slots.attempt());
    Waiter<Void> key = q.enqueue("a", Priority.NORMAL, Duration.ofSeconds(3), rpm.attempt());

    assertThat(target.ticket().isComplete()).as("20 ahead at 50 ms: about 1 s of 3").isFalse();
    assertThat(shedReason(key)).as("20 ahead at 1 s: 20 s of 3").isEqualTo(Shed.WAIT_TOO_LONG);
  }

  @Test
  void waitersWhoseClientsHungUpLeaveAtOnceAndNoLongerCountOrTakeCapacity() {
    Gate rpm = new Gate("key:a", 0);
    AdmissionQueue q = queue();
    List<Waiter<Void>> backlog = enqueue(q, "a", 30, null, rpm);
    serve(q, rpm, 10, Duration.ofSeconds(1));
    List<Waiter<Void>> waiting = backlog.subList(10, 30);
    assertThat(q.waiting("key:a")).isEqualTo(20);

    for (Waiter<Void> gone : waiting.subList(0, 16)) {
      assertThat(gone.cancel()).isTrue();
    }

    // No timer has run: the counts dropped at the cancel itself.
    assertThat(q.size()).isEqualTo(4);
    assertThat(q.waiting("key:a")).isEqualTo(4);
    assertThat(waiting.subList(0, 16)).allMatch(w -> shedReason(w) == Shed.CANCELLED);
    // The next request waits behind the 4 still there (4 s of 6), not behind 20 (20 s): not shed.
    Waiter<Void> next = q.enqueue("a", Priority.NORMAL, Duration.ofSeconds(6), rpm.attempt());
    assertThat(next.ticket().isComplete()).isFalse();

    serve(q, rpm, 5, Duration.ofSeconds(1));

    assertThat(waiting.subList(16, 20)).allMatch(w -> w.ticket().succeeded());
    assertThat(next.ticket().succeeded()).isTrue();
    assertThat(rpm.taken).as("nothing admitted for the ones that left").isEqualTo(10 + 5);
    assertThat(q.size()).isZero();
  }

  @Test
  void aWaiterCancelledWhileItsReserveIsInFlightLeavesAtOnceAndTheLateReservationIsReleased() {
    LocalRateLimiter limiter = new LocalRateLimiter(ticker);
    List<ScopedLimit> oneSlot = List.of(new ScopedLimit(Scope.target("up/n"), new LimitSpec(0, 0, 1)));
    Admission running = limiter.tryReserve(oneSlot, 0);
    AdmissionAttempt<Reservation> reserve = AdmissionAttempt.reserve(limiter, oneSlot, 0);
    Promise<Void> redisAnswers = Promise.promise(); // the reserve is a round trip under way
    AdmissionAttempt<Reservation> inFlight = new AdmissionAttempt<>() {
      @Override
      public Future<Decision<Reservation>> tryAdmit() {
        return redisAnswers.future().compose(v -> reserve.tryAdmit());
      }

      @Override
      public void abandon(Reservation r) {
        reserve.abandon(r);
      }
    };
    AdmissionQueue q = queue();
    Waiter<Reservation> w = q.enqueue("b", Priority.NORMAL, null, "target:up/n", inFlight);
    assertThat(q.waiting("target:up/n")).isEqualTo(1);

    assertThat(w.cancel()).isTrue();

    assertThat(shedReason(w)).isEqualTo(Shed.CANCELLED);
    assertThat(q.size()).isZero();
    assertThat(q.waiting("target:up/n")).isZero();
    // The slot frees and the answer, admitted, arrives for a waiter that has gone: given back.
    running.reservation().release();
    redisAnswers.complete();
    assertThat(limiter.tryReserve(oneSlot, 0).admitted()).as("the slot is free again").isTrue();
  }
}
