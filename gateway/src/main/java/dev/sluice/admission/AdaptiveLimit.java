package dev.sluice.admission;

import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An adaptive concurrency limit for one upstream target, in the style of Netflix
 * concurrency-limits: additive increase while the target keeps up, multiplicative decrease when it
 * does not. "Does not keep up" is a drop (timeout, 429) or latency rising above
 * {@code latencyTolerance} × the baseline, the lowest round-trip time of the recent
 * {@code baselineWindow} (so a lasting change of the target's normal latency becomes the new
 * baseline within one window).
 *
 * <ul>
 *   <li>Increase: +1 per success, only while at least half the limit is in use — a limit that is
 *       not reached says nothing about whether a higher one would be fine.
 *   <li>Decrease: to {@code backoffRatio} × the requests that were in flight (or × the limit, if
 *       lower), at most once per smoothed round trip (and per {@code minDecreaseInterval}): the
 *       timeouts of one overload episode arrive together and must cut once, as TCP does per
 *       window, not collapse the limit to its minimum. Cutting from the load actually in flight
 *       (TCP's ssthresh = FlightSize / 2) lets the limit start high — never the bottleneck of a
 *       healthy target, whose long streams can number thousands — and still land near the load the
 *       target really carried on its first overload signal.
 *   <li>Always within {@code [minLimit, maxLimit]}.
 * </ul>
 *
 * <p>Outcomes follow DESIGN.md §3: {@link #onSuccess}, {@link #onDropped} or {@link #onIgnored}
 * (client went away: no signal), exactly one per successful {@link #tryAcquire()}.
 *
 * <p>Threading: thread-safe. {@link #tryAcquire()} is lock-free; outcomes update under a short lock.
 * No timers; time comes from the injected {@link Ticker}.
 */
public final class AdaptiveLimit {
  private static final double RTT_SMOOTHING = 0.2;

  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;
  private final double latencyTolerance;
  private final long halfWindowNanos;
  private final long minDecreaseIntervalNanos;
  private final long minLatencyExcessNanos;
  private final Ticker ticker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile int limit;

  // Guarded by "this".
  private double estimate;
  private double smoothedRtt;
  private long currentMin = Long.MAX_VALUE;
  private long previousMin = Long.MAX_VALUE;
  private long bucketStart;
  private boolean started;
  private long lastDecreaseAt;
  private boolean decreasedBefore;
  private long latencyCuts;
  private long dropCuts;
  private LastCut lastCut;

  private AdaptiveLimit(Builder b) {
    if (b.minLimit < 1 || b.maxLimit < b.minLimit || b.initialLimit < b.minLimit || b.initialLimit > b.maxLimit) {
      throw new IllegalArgumentException("need 1 <= min <= initial <= max: " + b.minLimit + " " + b.initialLimit + " " + b.maxLimit);
    }
    if (!(b.backoffRatio > 0 && b.backoffRatio < 1) || !(b.latencyTolerance > 1)) {
      throw new IllegalArgumentException("backoffRatio in (0, 1), latencyTolerance > 1");
    }
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoffRatio = b.backoffRatio;
    this.latencyTolerance = b.latencyTolerance;
    this.halfWindowNanos = Math.max(1, b.baselineWindow.toNanos() / 2);
    this.minDecreaseIntervalNanos = b.minDecreaseInterval.toNanos();
    this.minLatencyExcessNanos = b.minLatencyExcess.toNanos();
    this.ticker = Objects.requireNonNull(b.ticker, "ticker");
    this.estimate = b.initialLimit;
    this.limit = b.initialLimit;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Takes a slot if fewer than {@link #limit()} are in flight. */
  public boolean tryAcquire() {
    while (true) {
      int n = inFlight.get();
      if (n >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * The limit every target gets. It starts at its maximum, so it is never the bottleneck of a
   * healthy target (LLM streams last seconds: a busy target has thousands in flight; starting at
   * 1,000 capped 5,000 concurrent streams at ~2,000 and answered the rest 503), and comes down on
   * 429/overloaded/timeouts — then to a share of what was really in flight — or when time to first
   * token (counted by the caller from the request's write on a connection, not from the wait for
   * one) rises both 2× and 5 s over its baseline. TTFT grows with the prompt, so seconds of spread
   * are normal for a healthy provider; with a 250 ms threshold, 2,000 concurrent streams to a healthy
   * upstream on a busy 2-core host read as overload and half of them were refused with 503.
   */
  public static AdaptiveLimit gatewayDefault(Ticker ticker) {
    return builder().initialLimit(20_000).minLimit(4).maxLimit(20_000)
        .minLatencyExcess(Duration.ofSeconds(5)).ticker(ticker).build();
  }

  /** The request succeeded after {@code rttNanos}. */
  public synchronized void onSuccess(long rttNanos) {
    int before = release();
    long now = ticker.nanos();
    long rtt = Math.max(1, rttNanos);
    long baseline = baseline(rtt, now);
    smoothedRtt = smoothedRtt == 0 ? rtt : smoothedRtt + RTT_SMOOTHING * (rtt - smoothedRtt);
    // A rise counts only when it is both relative and absolute: against a fast upstream (a 1 ms
    // baseline) the gateway's own scheduling under load is already "2×", and must not shed traffic.
    if (smoothedRtt > latencyTolerance * baseline && smoothedRtt - baseline > minLatencyExcessNanos) {
      decrease(now, before, Cause.LATENCY);
    } else if (before * 2 >= estimate) {
      setEstimate(estimate + 1);
    }
  }

  /** The request timed out or was throttled (429): the target is overloaded. */
  public synchronized void onDropped() {
    int before = release();
    decrease(ticker.nanos(), before, Cause.DROPPED);
  }

  /** The client went away: the slot is free, and the outcome says nothing about the target. */
  public void onIgnored() {
    release();
  }

  public int limit() {
    return limit;
  }

  /**
   * The latency the limit judges, as it stands: the baseline the next success is compared with (the
   * lowest of the recent window; null once the window holds none) and the smoothed latency (null
   * before the first success). For operators asking why a target's limit came down.
   */
  public synchronized Latency latency() {
    if (!started) {
      return new Latency(null, null);
    }
    long age = ticker.nanos() - bucketStart;
    long lowest = age >= 2 * halfWindowNanos ? Long.MAX_VALUE
        : age >= halfWindowNanos ? currentMin : Math.min(currentMin, previousMin);
    return new Latency(lowest == Long.MAX_VALUE ? null : lowest, (long) smoothedRtt);
  }

  /** {@link #latency()}: nanoseconds, null when unknown. */
  public record Latency(Long baselineNanos, Long smoothedNanos) {}

  public int inFlight() {
    return inFlight.get();
  }

  /** Decrements in-flight, never below zero (an extra outcome is a caller bug, not a negative load). */
  private int release() {
    while (true) {
      int n = inFlight.get();
      if (n == 0 || inFlight.compareAndSet(n, n - 1)) {
        return n;
      }
    }
  }

  /** Lowest RTT over the last one to two half-windows. */
  private long baseline(long rtt, long now) {
    if (!started) {
      started = true;
      bucketStart = now;
    } else if (now - bucketStart >= halfWindowNanos) {
      previousMin = now - bucketStart >= 2 * halfWindowNanos ? Long.MAX_VALUE : currentMin;
      currentMin = Long.MAX_VALUE;
      bucketStart = now;
    }
    currentMin = Math.min(currentMin, rtt);
    return Math.min(currentMin, previousMin);
  }

  private void decrease(long now, int inFlightBefore, Cause cause) {
    long interval = Math.max(minDecreaseIntervalNanos, (long) smoothedRtt);
    if (decreasedBefore && now - lastDecreaseAt < interval) {
      return;
    }
    decreasedBefore = true;
    lastDecreaseAt = now;
    int from = limit;
    setEstimate(Math.floor(Math.min(estimate, Math.max(1, inFlightBefore)) * backoffRatio));
    if (cause == Cause.LATENCY) {
      latencyCuts++;
    } else {
      dropCuts++;
    }
    lastCut = new LastCut(cause, from, limit, inFlightBefore, now);
  }

  /** Why the limit came down. */
  public enum Cause { LATENCY, DROPPED }

  private record LastCut(Cause cause, int from, int to, int inFlight, long atNanos) {}

  /**
   * How often the limit came down and why, and its last cut (null until the first): what an
   * operator reads when a target answers 429 to requests its provider never saw.
   *
   * @param latencyCuts cuts for time to first token rising over the baseline
   * @param dropCuts cuts for a 429, an overloaded answer or a timeout
   */
  public record Cuts(long latencyCuts, long dropCuts, Cut last) {}

  /**
   * One cut: its cause, the limit before and after, the attempts in flight it was cut from (the cut
   * goes to a share of these) and how long ago it was.
   */
  public record Cut(Cause cause, int from, int to, int inFlight, long agoNanos) {}

  public synchronized Cuts cuts() {
    LastCut c = lastCut;
    return new Cuts(latencyCuts, dropCuts,
        c == null ? null : new Cut(c.cause, c.from, c.to, c.inFlight, ticker.nanos() - c.atNanos));
  }

  private void setEstimate(double value) {
    estimate = Math.max(minLimit, Math.min(maxLimit, value));
    limit = (int) estimate;
  }

  /** Not thread-safe; validates on {@link #build()}. */
  public static final class Builder {
    private int initialLimit = 20;
    private int minLimit = 1;
    private int maxLimit = 200;
    private double backoffRatio = 0.9;
    private double latencyTolerance = 2.0;
    private Duration baselineWindow = Duration.ofSeconds(60);
    private Duration minDecreaseInterval = Duration.ofMillis(10);
    private Duration minLatencyExcess = Duration.ZERO;
    private Ticker ticker = Ticker.system();

    public Builder initialLimit(int n) {
      this.initialLimit = n;
      return this;
    }

    public Builder minLimit(int n) {
      this.minLimit = n;
      return this;
    }

    public Builder maxLimit(int n) {
      this.maxLimit = n;
      return this;
    }

    /** Multiplier on overload, in (0, 1). Default 0.9. */
    public Builder backoffRatio(double r) {
      this.backoffRatio = r;
      return this;
    }

    /** How many times the baseline RTT counts as overload. Default 2. */
    public Builder latencyTolerance(double t) {
      this.latencyTolerance = t;
      return this;
    }

    /** How long the lowest RTT is remembered as the baseline. Default 60 s. */
    public Builder baselineWindow(Duration d) {
      this.baselineWindow = Objects.requireNonNull(d);
      return this;
    }

    /** How much slower than the baseline, at least, a rise must be to shrink the limit (default 0). */
    public Builder minLatencyExcess(Duration d) {
      this.minLatencyExcess = Objects.requireNonNull(d);
      return this;
    }

    /** Shortest time between two decreases, when the smoothed RTT is shorter. Default 10 ms. */
    public Builder minDecreaseInterval(Duration d) {
      this.minDecreaseInterval = Objects.requireNonNull(d);
      return this;
    }

    public Builder ticker(Ticker t) {
      this.ticker = Objects.requireNonNull(t);
      return this;
    }

    public AdaptiveLimit build() {
      return new AdaptiveLimit(this);
    }
  }
}
