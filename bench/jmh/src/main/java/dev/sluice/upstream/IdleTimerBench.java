package dev.sluice.upstream;

import dev.sluice.core.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The idle deadline's cost per upstream body slice, on a real event loop: cancelling and setting
 * a Vert.x timer per slice (what UpstreamCall did) against {@link PhaseTimer#arm} (a timestamp).
 * Each invocation runs {@link #SLICES} slices in one event-loop task, so the hop onto the loop is
 * spread over them. In this package because PhaseTimer is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdleTimerBench {
  static final int SLICES = 1_000;
  private static final long IDLE_MS = 30_000;

  private Vertx vertx;
  private Context context;
  private final Handler<Long> onTimeout = id -> {};

  @Setup
  public void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @TearDown
  public void tearDown() {
    vertx.close().await();
  }

  /** Before: every slice cancels the pending timer and sets a new one. */
  @Benchmark
  @OperationsPerInvocation(SLICES)
  public long timerRearmedPerSlice() throws Exception {
    return onLoop(() -> {
      long id = vertx.setTimer(IDLE_MS, onTimeout);
      for (int i = 0; i < SLICES; i++) {
        vertx.cancelTimer(id);
        id = vertx.setTimer(IDLE_MS, onTimeout);
      }
      vertx.cancelTimer(id);
      return id;
    });
  }

  /** After: every slice records its time; one timer stays pending. */
  @Benchmark
  @OperationsPerInvocation(SLICES)
  public long phaseTimerArmedPerSlice() throws Exception {
    return onLoop(() -> {
      PhaseTimer timer = new PhaseTimer(Ticker.system(), PhaseTimer.Timers.of(vertx), (phase, ms) -> {});
      for (int i = 0; i < SLICES; i++) {
        timer.arm("idle", IDLE_MS);
      }
      timer.cancel();
      return SLICES;
    });
  }

  private interface Task {
    long run();
  }

  private long onLoop(Task task) throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    context.runOnContext(v -> done.complete(task.run()));
    return done.get(10, TimeUnit.SECONDS);
  }
}
