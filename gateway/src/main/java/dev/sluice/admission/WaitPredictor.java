package dev.sluice.admission;

/**
 * Predicts how long a waiter will wait from how fast one line of the {@link AdmissionQueue} (the
 * waiters of one limit, {@link ScopeLines}) has been draining: an exponentially weighted mean of the
 * interval between admissions from that line while others in it were still waiting (idle time is
 * not service time). Says nothing until it has seen a few intervals, so a quiet line never sheds
 * on a guess. One per line: the pace of a key held to 60 rpm is not the pace of a target's slots.
 *
 * <p>Not thread-safe: guarded by the queue's lock.
 */
final class WaitPredictor {
  private static final int MIN_SAMPLES = 8;
  private static final double SMOOTHING = 0.2;

  private double intervalNanos;
  private int samples;
  private long lastServedAt;
  private boolean backlogged;

  /** An admission at {@code now}; {@code stillWaiting} is how many remain in the line after it. */
  void served(long now, int stillWaiting) {
    if (backlogged) {
      double sample = now - lastServedAt;
      intervalNanos = samples == 0 ? sample : intervalNanos + SMOOTHING * (sample - intervalNanos);
      samples++;
    }
    lastServedAt = now;
    backlogged = stillWaiting > 0;
  }

  /** The predicted wait behind {@code ahead} waiters, or 0 when there is too little history. */
  long predictNanos(int ahead) {
    return samples < MIN_SAMPLES ? 0 : (long) (ahead * intervalNanos);
  }
}
