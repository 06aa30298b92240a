package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeTicker;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeAdmissionTimers scheduler = new FakeAdmissionTimers(ticker);
  private final List<String> admitted = Collections.synchronizedList(new ArrayList<>());

  /** Capacity of {@code slots}; records the most ever held at once. */
  private static final class Capacity {
    final InFlightGuard guard;
    final AtomicInteger most = new AtomicInteger();

    Capacity(int slots) {
      guard = new InFlightGuard(slots);
    }

    AdmissionAttempt<Void> attempt() {
      return AdmissionAttempt.of(() -> {
        boolean ok = guard.tryAcquire();
        most.accumulateAndGet(guard.inFlight(), Math::max);
        return ok;
      }, guard::release);
    }
  }

  private AdmissionQueue queue(int maxQueue, Duration maxWait) {
    return new AdmissionQueue(maxQueue, maxWait, ticker, scheduler);
  }

  private <T> Waiter<T> enqueue(AdmissionQueue q, String tenant, Priority p, AdmissionAttempt<T> attempt, String label) {
    Waiter<T> w = q.enqueue(tenant, p, null, attempt);
    w.ticket().onSuccess(t -> admitted.add(label));
    return w;
  }

  private static Shed shedReason(Waiter<?> w) {
    assertThat(w.ticket().failed()).as("shed").isTrue();
    return ((ShedException) w.ticket().cause()).reason();
  }

  @Test
  void aBurstOfFiveTimesCapacityWaitsAndIsServedHighBeforeNormalBeforeLow() {
    Capacity capacity = new Capacity(4);
    AdmissionQueue q = queue(100, Duration.ofMinutes(1));
    for (int i = 0; i < 20; i++) {
      Priority p = Priority.values()[i % 3 == 0 ? 2 : i % 3 == 1 ? 1 : 0];
      enqueue(q, "t", p, capacity.attempt(), p.name());
    }
    assertThat(admitted).hasSize(4);
    assertThat(q.size()).isEqualTo(16);

    List<String> later = new ArrayList<>();
    while (q.size() > 0) {
      int before = admitted.size();
      capacity.guard.release();
      q.signal();
      assertThat(admitted).hasSize(before + 1);
      later.add(admitted.get(before));
    }

    assertThat(later).isSortedAccordingTo((a, b) -> Priority.valueOf(a).compareTo(Priority.valueOf(b)));
    assertThat(later).startsWith("HIGH").endsWith("LOW");
    assertThat(capacity.most.get()).isEqualTo(4);
  }

  @Test
  void aTenantSendingTenTimesMoreStillLeavesTheOtherItsShare() {
    Capacity capacity = new Capacity(1);
    capacity.guard.tryAcquire(); // busy: everything queues
    AdmissionQueue q = queue(1000, Duration.ofMinutes(1));
    for (int i = 0; i < 100; i++) {
      enqueue(q, "heavy", Priority.NORMAL, capacity.attempt(), "heavy");
    }
    for (int i = 0; i < 10; i++) {
      enqueue(q, "light", Priority.NORMAL, capacity.attempt(), "light");
    }

    for (int i = 0; i < 20; i++) {
      capacity.guard.release();
      q.signal();
    }

    assertThat(admitted).hasSize(20);
    assertThat(admitted).filteredOn("light"::equals).hasSize(10);
    assertThat(capacity.most.get()).isEqualTo(1);
  }

  @Test
  void aTenantsWeightBuysItAProportionalShare() {
    Capacity capacity = new Capacity(1);
    capacity.guard.tryAcquire();
    AdmissionQueue q = new AdmissionQueue(1000, Duration.ofMinutes(1), 64,
        Map.of("gold", 3, "basic", 1)::get, ticker, scheduler);
    for (int i = 0; i < 40; i++) {
      enqueue(q, "basic", Priority.NORMAL, capacity.attempt(), "basic");
      enqueue(q, "gold", Priority.NORMAL, capacity.attempt(), "gold");
    }

    for (int i = 0; i < 40; i++) {
      capacity.guard.release();
      q.signal();
    }

    assertThat(admitted).filteredOn("gold"::equals).hasSize(30);
  }

  @Test
  void nothingIsAdmittedAboveCapacityWhenManyThreadsEnqueueAndRelease() throws Exception {
    Capacity capacity = new Capacity(3);
    AdmissionQueue q = queue(10_000, Duration.ofMinutes(1));
    LinkedBlockingQueue<Ticket<Void>> held = new LinkedBlockingQueue<>();
    List<Waiter<Void>> waiters = Parallel.run(200, 8, () -> {
      Waiter<Void> w = q.enqueue("t" + Thread.currentThread().getId(), Priority.NORMAL, null, capacity.attempt());
      w.ticket().onSuccess(held::add);
      return w;
    });
    // Each holder finishes, returns its slot and signals, from many threads at once.
    List<Boolean> finished = Parallel.run(197, 8, () -> {
      boolean had = held.poll(5, TimeUnit.SECONDS) != null;
      capacity.guard.release();
      q.signal();
      return had;
    });

    assertThat(finished).containsOnly(true);
    assertThat(waiters).allSatisfy(w -> assertThat(w.ticket().succeeded()).isTrue());
    assertThat(capacity.most.get()).isLessThanOrEqualTo(3);
    assertThat(capacity.guard.inFlight()).isEqualTo(3);
  }

  @Test
  void overflowBeyondMaxQueueIsShedAtOnce() {
    Capacity capacity = new Capacity(1);
    capacity.guard.tryAcquire();
    AdmissionQueue q = queue(5, Duration.ofMinutes(1));
    for (int i = 0; i < 5; i++) {
      q.enqueue("t", Priority.NORMAL, null, capacity.attempt());
    }

    Waiter<Void> overflow = q.enqueue("t", Priority.NORMAL, null, capacity.attempt());

    assertThat(shedReason(overflow)).isEqualTo(Shed.QUEUE_FULL);
    assertThat(q.size()).isEqualTo(5);
  }

  @Test
  void aFullQueueMakesRoomForAMoreUrgentRequestBySheddingTheNewestLowOne() {
    Capacity capacity = new Capacity(1);
    capacity.guard.tryAcquire();
    AdmissionQueue q = queue(3, Duration.ofMinutes(1));
    Waiter<Void> low1 = q.enqueue("t", Priority.LOW, null, capacity.attempt());
    Waiter<Void> low2 = q.enqueue("t", Priority.LOW, null, capacity.attempt());
    q.enqueue("t", Priority.NORMAL, null, capacity.attempt());

    Waiter<Void> high = q.enqueue("t", Priority.HIGH, null, capacity.attempt());

    assertThat(high.ticket().isComplete()).isFalse();
    assertThat(shedReason(low2)).isEqualTo(Shed.QUEUE_FULL);
    assertThat(low1.ticket().isComplete()).isFalse();
    assertThat(shedReason(q.enqueue("t", Priority.LOW, null, capacity.attempt()))).isEqualTo(Shed.QUEUE_FULL);
  }

  @Test
  void aWaiterStillQueuedAtMaxWaitIsShedAsTimedOut() {
    Capacity capacity = new Capacity(1);
    capacity.guard.tryAcquire();
    AdmissionQueue q = queue(10, Duration.ofSeconds(2));
    Waiter<Void> w = q.enqueue("t", Priority.NORMAL, Duration.ofSeconds(30), capacity.attempt());

    scheduler.advance(Duration.ofMillis(1999));
    assertThat(w.ticket().isComplete()).isFalse();
    scheduler.advance(Duration.ofMillis(1));

    assertThat(shedReason(w)).isEqualTo(Shed.TIMED_OUT);
    assertThat(q.size()).isZero();
  }

  @Test
  void theRequestsOwnDeadlineCapsItsWait() {
    Capacity capacity = new Capacity(1);
    capacity.guard.tryAcquire();
    AdmissionQueue q = queue(10, Duration.ofSeconds(10));
    Waiter<Void> w = q.enqueue("t", Priority.NORMAL, Duration.ofMillis(500), capacity.attempt());

    scheduler.advance(Duration.ofMillis(500));

    assertThat(shedReason(w)).isEqualTo(Shed.TIMED_OUT);
  }

  @Test
  void aLimitThatFreesAfterTheDeadlineIsShedAtOnceRatherThanWaitedOut() {
    AdmissionQueue q = queue(10, Duration.ofSeconds(10));
    Waiter<Void> w = q.enqueue("t", Priority.NORMAL, Duration.ofSeconds(5), () ->
        io.vertx.core.Future.succeededFuture(Decision.notYet(Duration.ofSeconds(30))));

    assertThat(shedReason(w)).isEqualTo(Shed.WAIT_TOO_LONG);
    assertThat(q.size()).isZero();
  }

  @Test
  void tooManyAheadForTheRemainingTimeIsShedAtOnce() {
    Capacity capacity = new Capacity(1);
    capacity.guard.tryAcquire();
    AdmissionQueue q = queue(100, Duration.ofMinutes(1));
    for (int i = 0; i < 20; i++) {
      q.enqueue("t", Priority.NORMAL, null, capacity.attempt());
    }
    for (int i = 0; i < 10; i++) { // one admission a second
      scheduler.advance(Duration.ofSeconds(1));
      capacity.guard.release();
      q.signal();
    }

    Waiter<Void> hopeless = q.enqueue("u", Priority.LOW, Duration.ofSeconds(5), capacity.attempt());
    Waiter<Void> patient = q.enqueue("u", Priority.LOW, Duration.ofSeconds(30), capacity.attempt());

    assertThat(shedReason(hopeless)).isEqualTo(Shed.WAIT_TOO_LONG); // 10 ahead at 1 s each
    assertThat(patient.ticket().isComplete()).isFalse();
  }

  @Test
  void rateLimitedWaitersAreWokenByTheRefillTimerWithoutASignal() {
    LocalRateLimiter limiter = new LocalRateLimiter(ticker);
    List<ScopedLimit> sixtyRpm = List.of(new ScopedLimit(Scope.key("k"), new LimitSpec(60, 0, 0)));
    AdmissionQueue q = queue(100, Duration.ofSeconds(30));
    for (int i = 0; i < 60; i++) {
      assertThat(q.enqueue("t", Priority.NORMAL, null, AdmissionAttempt.reserve(limiter, sixtyRpm, 0)).ticket().succeeded()).isTrue();
    }
    Waiter<Reservation> w1 = q.enqueue("t", Priority.NORMAL, null, AdmissionAttempt.reserve(limiter, sixtyRpm, 0));
    Waiter<Reservation> w2 = q.enqueue("t", Priority.NORMAL, null, AdmissionAttempt.reserve(limiter, sixtyRpm, 0));

    scheduler.advance(Duration.ofMillis(999));
    assertThat(w1.ticket().isComplete()).isFalse();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(w1.ticket().succeeded()).isTrue();
    assertThat(w1.ticket().result().waited()).isEqualTo(Duration.ofSeconds(1));
    assertThat(w2.ticket().isComplete()).isFalse();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(w2.ticket().succeeded()).isTrue();
  }

  @Test
  void aRequestAdmittedAtOnceLeavesNoTimerBehind() {
    AdmissionQueue q = queue(10, Duration.ofSeconds(30));
    Waiter<Void> w = q.enqueue("t", Priority.NORMAL, null, new Capacity(1).attempt());

    assertThat(w.ticket().succeeded()).isTrue();
    assertThat(w.ticket().result().waited()).isZero();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aCancelledWaiterLeavesAtOnceAndALateAdmissionIsGivenBack() {
    Promise<Decision<String>> pending = Promise.promise();
    List<String> givenBack = new ArrayList<>();
    AdmissionAttempt<String> slow = new AdmissionAttempt<>() {
      @Override
      public io.vertx.core.Future<Decision<String>> tryAdmit() {
        return pending.future();
      }

      @Override
      public void abandon(String value) {
        givenBack.add(value);
      }
    };
    AdmissionQueue q = queue(10, Duration.ofSeconds(30));
    Waiter<String> w = q.enqueue("t", Priority.NORMAL, null, slow);

    assertThat(w.cancel()).isTrue();
    assertThat(shedReason(w)).isEqualTo(Shed.CANCELLED);
    pending.complete(Decision.admit("slot-1"));

    assertThat(givenBack).containsExactly("slot-1");
    assertThat(w.cancel()).isFalse();
    assertThat(q.size()).isZero();
  }

  @Test
  void asynchronousAttemptsAreMadeOneAtATimeInOrder() {
    List<Promise<Decision<Integer>>> calls = new ArrayList<>();
    AdmissionQueue q = queue(10, Duration.ofSeconds(30));
    List<Waiter<Integer>> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(q.enqueue("t", Priority.NORMAL, null, () -> {
        Promise<Decision<Integer>> p = Promise.promise();
        calls.add(p);
        return p.future();
      }));
    }
    assertThat(calls).hasSize(1); // the pass waits for the first answer

    calls.get(0).complete(Decision.admit(0));
    assertThat(calls).hasSize(2);
    calls.get(1).complete(Decision.notYet(null));
    assertThat(calls).hasSize(3);
    calls.get(2).complete(Decision.admit(2));

    assertThat(waiters.get(0).ticket().result().value()).isZero();
    assertThat(waiters.get(1).ticket().isComplete()).isFalse();
    assertThat(waiters.get(2).ticket().result().value()).isEqualTo(2);
  }

  @Test
  void anAttemptThatCannotEverSucceedIsShedAsRejected() {
    LocalRateLimiter limiter = new LocalRateLimiter(ticker);
    AdmissionQueue q = queue(10, Duration.ofSeconds(30));
    Waiter<Reservation> w = q.enqueue("t", Priority.NORMAL, null, AdmissionAttempt.reserve(limiter,
        List.of(new ScopedLimit(Scope.key("k"), new LimitSpec(0, 100, 0))), 1000));

    assertThat(shedReason(w)).isEqualTo(Shed.REJECTED);
    assertThat(w.ticket().cause()).hasMessageContaining("too large");
  }
}
