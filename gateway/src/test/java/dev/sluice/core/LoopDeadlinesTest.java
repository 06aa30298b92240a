package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Far deadlines fire at their time, once, from a wheel that keeps them off the event loop's heap. */
class LoopDeadlinesTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeLoop loop = new FakeLoop(ticker);
  private final LoopDeadlines deadlines = new LoopDeadlines("loop", loop, ticker::nanos);

  /** An event loop's timer on the fake clock: a heap of tasks that {@link #advance} runs in order. */
  private static final class FakeLoop implements LoopDeadlines.Loop {
    private record Task(long due, long seq, CompletableFuture<Void> handle, Runnable run) {}

    private final FakeTicker ticker;
    private final PriorityQueue<Task> heap = new PriorityQueue<>(
        (a, b) -> a.due != b.due ? Long.compare(a.due - b.due, 0) : Long.compare(a.seq, b.seq));
    private long seq;
    boolean onLoop = true;
    int scheduled;

    FakeLoop(FakeTicker ticker) {
      this.ticker = ticker;
    }

    @Override
    public boolean inLoop() {
      return onLoop;
    }

    @Override
    public Future<?> schedule(Runnable task, long delayNanos) {
      scheduled++;
      CompletableFuture<Void> handle = new CompletableFuture<>();
      heap.add(new Task(ticker.nanos() + delayNanos, seq++, handle, task));
      return handle;
    }

    @Override
    public void execute(Runnable task) {
      schedule(task, 0);
    }

    /** Tasks neither run nor cancelled. */
    long pending() {
      return heap.stream().filter(t -> !t.handle.isCancelled()).count();
    }

    /** Moves the clock on, running each task at its time (the clock stops there while it runs). */
    void advance(Duration d) {
      long end = ticker.nanos() + d.toNanos();
      while (!heap.isEmpty() && heap.peek().due - end <= 0) {
        Task t = heap.poll();
        if (t.due - ticker.nanos() > 0) {
          ticker.advance(Duration.ofNanos(t.due - ticker.nanos()));
        }
        if (!t.handle.isCancelled()) {
          t.run.run();
        }
      }
      ticker.advance(Duration.ofNanos(end - ticker.nanos()));
    }
  }

  private long in(Duration d) {
    return ticker.nanos() + d.toNanos();
  }

  @Test
  void aFarDeadlineFiresAtItsTimeAndReachesTheTimerOnlyShortlyBefore() {
    long due = in(Duration.ofSeconds(30));
    List<Long> firedAt = new ArrayList<>();
    deadlines.at(due, () -> firedAt.add(ticker.nanos()));
    assertThat(deadlines.inWheel()).isEqualTo(1);

    loop.advance(Duration.ofSeconds(26));
    assertThat(firedAt).isEmpty();
    assertThat(deadlines.inWheel()).as("still in the wheel 4 s before").isEqualTo(1);

    loop.advance(Duration.ofMillis(3_999));
    assertThat(firedAt).isEmpty();
    assertThat(deadlines.inWheel()).as("on the timer by 1 ms before").isZero();

    loop.advance(Duration.ofMillis(1));
    assertThat(firedAt).containsExactly(due);
  }

  @Test
  void cancelledDeadlinesNeverFireAndTheWakeStopsOnceTheWheelIsEmpty() {
    List<String> fired = new ArrayList<>();
    List<LoopDeadlines.Deadline> all = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      all.add(deadlines.at(in(Duration.ofSeconds(30)), () -> fired.add("deadline")));
    }
    assertThat(loop.scheduled).as("one wake for a thousand deadlines").isEqualTo(1);
    all.forEach(LoopDeadlines.Deadline::cancel);
    assertThat(deadlines.inWheel()).isZero();

    loop.advance(Duration.ofMinutes(2));
    assertThat(fired).isEmpty();
    assertThat(loop.scheduled).as("the wake ran once more and was not re-armed").isEqualTo(1);
    assertThat(loop.pending()).isZero();
  }

  @Test
  void aNearDeadlineGoesOnTheTimerAtOnceAndCancelsThere() {
    List<String> fired = new ArrayList<>();
    LoopDeadlines.Deadline d = deadlines.at(in(Duration.ofMillis(500)), () -> fired.add("near"));
    assertThat(deadlines.inWheel()).isZero();
    assertThat(loop.pending()).isEqualTo(1);
    d.cancel();
    assertThat(loop.pending()).isZero();
    loop.advance(Duration.ofSeconds(1));
    assertThat(fired).isEmpty();
  }

  /** A deadline {@code after} from now has not fired 1 ms before it, and fires exactly then. */
  private static void firesExactlyAfter(Duration after, FakeTicker clock, FakeLoop on, LoopDeadlines wheel) {
    long due = clock.nanos() + after.toNanos();
    List<Long> firedAt = new ArrayList<>();
    wheel.at(due, () -> firedAt.add(clock.nanos()));
    on.advance(after.minusMillis(1));
    assertThat(firedAt).isEmpty();
    on.advance(Duration.ofMillis(1));
    assertThat(firedAt).containsExactly(due);
  }

  @Test
  void aDeadlineRoundsAwayWaitsForItsOwnRound() {
    firesExactlyAfter(Duration.ofHours(3), ticker, loop, deadlines); // the wheel turns every ~73 minutes
  }

  @Test
  void firesRightWhenTheClockWrapsRound() {
    FakeTicker nearTop = new FakeTicker(Long.MAX_VALUE - Duration.ofSeconds(10).toNanos());
    assertThat(nearTop.nanos() + Duration.ofSeconds(40).toNanos()).as("due past the top: negative").isNegative();
    FakeLoop wrapLoop = new FakeLoop(nearTop);
    firesExactlyAfter(Duration.ofSeconds(40), nearTop, wrapLoop, new LoopDeadlines("loop", wrapLoop, nearTop::nanos));
  }

  @Test
  void offTheLoopEveryDeadlineGoesOnTheTimer() {
    loop.onLoop = false;
    List<String> fired = new ArrayList<>();
    deadlines.at(in(Duration.ofSeconds(30)), () -> fired.add("off"));
    assertThat(deadlines.inWheel()).isZero();
    loop.advance(Duration.ofSeconds(30));
    assertThat(fired).containsExactly("off");
  }

  @Test
  void manyDeadlinesSetAndCancelledAtRandomEachFireOnceAtTheirTime() {
    Random random = new Random(19);
    Map<Integer, Long> due = new HashMap<>();
    Map<Integer, Long> firedAt = new HashMap<>();
    Map<Integer, LoopDeadlines.Deadline> live = new HashMap<>();
    List<Integer> cancelled = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      int id = i;
      long ms = random.nextInt(4) == 0 ? random.nextInt(3_000) : random.nextInt(600_000);
      long at = in(Duration.ofMillis(ms));
      due.put(id, at);
      live.put(id, deadlines.at(at, () -> assertThat(firedAt.put(id, ticker.nanos())).isNull()));
      if (random.nextInt(3) == 0 && !live.isEmpty()) {
        int victim = random.nextInt(id + 1);
        LoopDeadlines.Deadline d = live.remove(victim);
        if (d != null && !firedAt.containsKey(victim)) {
          d.cancel();
          cancelled.add(victim);
        }
      }
      loop.advance(Duration.ofMillis(random.nextInt(200)));
    }
    loop.advance(Duration.ofMinutes(11));
    assertThat(cancelled).isNotEmpty().allSatisfy(id -> assertThat(firedAt).doesNotContainKey(id));
    assertThat(firedAt).hasSize(due.size() - cancelled.size());
    firedAt.forEach((id, at) -> assertThat(at).as("deadline %d", id).isEqualTo(due.get(id)));
    assertThat(deadlines.inWheel()).isZero();
    assertThat(loop.pending()).isZero();
  }
}
