package dev.sluice.resilience;

import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * One target's peak-EWMA of time to first token, after Finagle's and Linkerd's load balancers.
 *
 * <ul>
 *   <li><b>Peak:</b> a sample above the current estimate replaces it at once, so a target that
 *       turns slow is penalised immediately.
 *   <li><b>EWMA:</b> a sample below it pulls the estimate toward it with weight
 *       {@code 1 − e^(−Δt/τ)}, Δt being the time since the previous sample, so recovery is believed
 *       gradually.
 *   <li><b>Idle decay:</b> between samples the estimate read by {@link #ewmaNanos()} decays toward
 *       zero with the same τ (as Finagle's {@code observe(0)} on read and tower's {@code decay} do),
 *       so a target that was slow once and then got no traffic is eventually tried again instead of
 *       being starved forever. The next sample is blended with the undecayed estimate.
 *   <li><b>Cold start:</b> before any sample the estimate is a configurable default (1s), decaying
 *       like any other, so an untried target is tried soon; the first sample replaces it outright.
 * </ul>
 *
 * <p>Record failed attempts' elapsed time too (a timeout is a slow answer), or a target that fails
 * fast looks fast. Thread-safe: both calls hold this object's monitor for a few float operations.
 */
public final class LatencyTracker {
  public static final Duration DEFAULT_DECAY = Duration.ofSeconds(10);
  public static final Duration DEFAULT_COLD_START = Duration.ofSeconds(1);

  private final Ticker ticker;
  private final double tauNanos;

  // Guarded by this.
  private double estimate;
  private long stamp;
  private boolean sampled;
  private long samples;

  public LatencyTracker(Ticker ticker) {
    this(ticker, DEFAULT_DECAY, DEFAULT_COLD_START);
  }

  /**
   * @param decay the time constant τ: after τ, a new level has 63% of the weight
   * @param coldStart the estimate before the first sample
   */
  public LatencyTracker(Ticker ticker, Duration decay, Duration coldStart) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    BreakerConfig.requirePositive("decay", decay);
    if (coldStart == null || coldStart.isNegative()) {
      throw new IllegalArgumentException("coldStart must be ≥ 0: " + coldStart);
    }
    this.tauNanos = decay.toNanos();
    this.estimate = coldStart.toNanos();
    this.stamp = ticker.nanos();
  }

  /** One observed time to first token (or elapsed time of a failed attempt), in nanoseconds. */
  public void record(long ttftNanos) {
    double sample = Math.max(0, ttftNanos);
    synchronized (this) {
      long now = ticker.nanos();
      if (!sampled || sample >= estimate) {
        estimate = sample;
      } else {
        double w = Math.exp(-Math.max(0, now - stamp) / tauNanos);
        estimate = estimate * w + sample * (1 - w);
      }
      sampled = true;
      stamp = now;
      samples++;
    }
  }

  /** The current estimate in nanoseconds, idle decay applied. */
  public double ewmaNanos() {
    synchronized (this) {
      long idle = ticker.nanos() - stamp;
      return idle <= 0 ? estimate : estimate * Math.exp(-idle / tauNanos);
    }
  }

  /** How many samples were recorded (0: the estimate is the cold-start default). */
  public synchronized long samples() {
    return samples;
  }
}
