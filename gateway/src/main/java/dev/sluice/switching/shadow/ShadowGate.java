package dev.sluice.switching.shadow;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Decides, per request, whether a copy goes to one shadow candidate, and holds the candidate's
 * caps: the sample, its own concurrency cap (per replica) and its daily spend cap (reserve the
 * worst case before the call, settle after; shared through {@link ShadowSpend}). Thread-safe.
 */
public final class ShadowGate {
  /** A call the gate let through: release it exactly once, with what it cost. */
  public interface Permit {
    void release(long actualMicros);
  }

  /** The gate refused a copy; {@link #reason()} is what {@code sluice_shadow_dropped_total} counts. */
  public static final class Dropped extends RuntimeException {
    private final ShadowDrop reason;

    Dropped(ShadowDrop reason) {
      super("shadow copy dropped: " + reason.wire(), null, false, false);
      this.reason = reason;
    }

    public ShadowDrop reason() {
      return reason;
    }
  }

  private final String key;
  private final double sample;
  private final int maxConcurrency;
  private final long capMicros;
  private final ShadowSpend spend;
  private final Clock clock;
  private final DoubleSupplier random;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param key the candidate's counter name (model entry and candidate)
   * @param capMicros the daily cap in micro-USD; negative: none
   * @param random uniform in [0, 1)
   */
  public ShadowGate(String key, double sample, int maxConcurrency, long capMicros, ShadowSpend spend, Clock clock,
      DoubleSupplier random) {
    this.key = key;
    this.sample = sample;
    this.maxConcurrency = maxConcurrency;
    this.capMicros = capMicros;
    this.spend = spend;
    this.clock = clock;
    this.random = random;
  }

  /** Whether this request is in the sample. */
  public boolean sampled() {
    return sample > 0 && (sample >= 1 || random.getAsDouble() < sample);
  }

  /**
   * Takes a concurrency slot, then reserves {@code worstMicros} of today's cap. Fails with
   * {@link Dropped} (nothing held) when either is full, or when the shared counter fails.
   */
  public Future<Permit> admit(long worstMicros) {
    if (inFlight.incrementAndGet() > maxConcurrency) {
      inFlight.decrementAndGet();
      return Future.failedFuture(new Dropped(ShadowDrop.CONCURRENCY));
    }
    if (capMicros < 0) {
      return Future.succeededFuture(permit(null, 0));
    }
    String day = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
    return spend.tryReserve(key, day, capMicros, worstMicros).recover(e -> Future.succeededFuture(false))
        .compose(ok -> {
          if (!ok) {
            inFlight.decrementAndGet();
            return Future.failedFuture(new Dropped(ShadowDrop.SPEND_CAP));
          }
          return Future.succeededFuture(permit(day, worstMicros));
        });
  }

  private Permit permit(String day, long reserved) {
    java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    return actual -> {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      inFlight.decrementAndGet();
      if (day != null) {
        spend.settle(key, day, reserved, actual);
      }
    };
  }

  /** Shadow calls to this candidate in flight now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The counter name: the spend cap's key in {@link ShadowSpend}. */
  public String key() {
    return key;
  }
}
