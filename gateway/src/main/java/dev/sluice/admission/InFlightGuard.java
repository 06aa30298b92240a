package dev.sluice.admission;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A global cap on requests in flight through the gateway, whatever their key or model: the last
 * line of defence for the process's own memory and sockets. Each successful {@link #tryAcquire()}
 * must be followed by exactly one {@link #release()}.
 *
 * <p>Thread-safe and lock-free.
 */
public final class InFlightGuard {
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  public InFlightGuard(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight >= 1: " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
  }

  /** Takes a slot if one is free; never more than {@code maxInFlight} at once, however many race. */
  public boolean tryAcquire() {
    while (true) {
      int n = inFlight.get();
      if (n >= maxInFlight) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Returns a slot. Releasing more than was acquired is a bug and throws. */
  public void release() {
    while (true) {
      int n = inFlight.get();
      if (n == 0) {
        throw new IllegalStateException("released more slots than were acquired");
      }
      if (inFlight.compareAndSet(n, n - 1)) {
        return;
      }
    }
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int maxInFlight() {
    return maxInFlight;
  }
}
