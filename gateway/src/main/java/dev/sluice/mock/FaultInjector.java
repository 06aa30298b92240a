package dev.sluice.mock;

import io.vertx.core.Vertx;
import java.util.Random;

/**
 * Applies the request-level faults of a {@link FaultSpec}: latency and jitter, then {@code reset},
 * {@code hang}, and the injected-error decision. Body-level faults ({@code cut_after},
 * {@code chunk_delay}, {@code words}) are applied later by {@link MockExchange} while answering.
 *
 * <p>All random draws for a request (jitter, then error) happen when the request arrives, in that
 * order, from the injected {@link Random}. With a fixed seed and requests sent one after another,
 * the sequence of outcomes is therefore reproducible run to run, whatever the timing.
 */
final class FaultInjector {

  /** What to do for one request, decided up front. */
  record Plan(long delayMs, boolean fail) {}

  private final Vertx vertx;
  private final Random random;

  FaultInjector(Vertx vertx, Random random) {
    this.vertx = vertx;
    this.random = random;
  }

  /** Draws the random parts of the plan for {@code spec}; draws nothing for a fault-free spec. */
  Plan plan(FaultSpec spec) {
    long delay = spec.latency().toMillis();
    long jitter = spec.jitter().toMillis();
    if (jitter > 0) {
      delay += (long) (random.nextDouble() * (jitter + 1)); // uniform over 0..jitter inclusive
    }
    if (spec.slowRate() > 0 && random.nextDouble() < spec.slowRate()) {
      delay += spec.slow().toMillis();
    }
    boolean fail;
    if (spec.errorRate().isPresent()) {
      fail = random.nextDouble() < spec.errorRate().getAsDouble();
    } else {
      fail = spec.status().isPresent();
    }
    return new Plan(delay, fail);
  }

  /**
   * Waits out the planned delay on a Vert.x timer (never blocking the event loop), then resets,
   * hangs, or hands over to {@code answer}, which receives whether to fail with the spec's status.
   * Nothing happens if the client has gone away in the meantime.
   */
  void apply(MockExchange exchange, Plan plan, FailureAwareAction answer) {
    Runnable afterDelay = () -> {
      if (!exchange.isOpen()) {
        return;
      }
      FaultSpec spec = exchange.spec();
      if (spec.reset()) {
        exchange.abort();
      } else if (!spec.hang()) { // a hang simply never answers; the client decides when to give up
        answer.run(plan.fail());
      }
    };
    if (plan.delayMs() > 0) {
      vertx.setTimer(plan.delayMs(), id -> afterDelay.run());
    } else {
      afterDelay.run();
    }
  }

  /** The normal answering path, told whether an injected failure is due. */
  @FunctionalInterface
  interface FailureAwareAction {
    void run(boolean fail);
  }
}
