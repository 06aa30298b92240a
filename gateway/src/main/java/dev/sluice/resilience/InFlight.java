package dev.sluice.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests currently outstanding at one target, for least-busy and latency routing. Increment when
 * an attempt is sent; decrement exactly once when it ends, whatever the outcome (also on cancel).
 * Lock-free.
 */
public final class InFlight {
  private final AtomicInteger count = new AtomicInteger();

  public int incrementAndGet() {
    return count.incrementAndGet();
  }

  /** Never goes below zero, so one unmatched decrement cannot skew routing forever. */
  public void decrement() {
    int c;
    do {
      c = count.get();
      if (c <= 0) {
        return;
      }
    } while (!count.compareAndSet(c, c - 1));
  }

  public int current() {
    return count.get();
  }

  @Override
  public String toString() {
    return "InFlight[" + count.get() + "]";
  }
}
