package dev.sluice.resilience;

import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Not before" instants per target, from an upstream's Retry-After or x-ratelimit-reset: a target
 * that told us to wait is skipped until then. Keyed by {@link Target#label()}. A new cool-down
 * never shortens one already in force. Thread-safe; {@link #isCooling} is a map lookup.
 */
public final class CooldownTracker {
  private final ConcurrentHashMap<String, Long> notBefore = new ConcurrentHashMap<>();
  private final Ticker ticker;

  public CooldownTracker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** Keeps {@code t} out of rotation for {@code d} from now (no-op for null, zero or negative). */
  public void coolDown(Target t, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      return;
    }
    long now = ticker.nanos();
    long until = now + saturatedNanos(d);
    notBefore.merge(t.label(), until, (old, neu) -> neu - old > 0 ? neu : old);
  }

  /** Forgets any cool-down of the target {@code label} (a config reload changed it). */
  public void forget(String label) {
    notBefore.remove(label);
  }

  public boolean isCooling(Target t) {
    return remainingNanos(t) > 0;
  }

  /** How long {@code t} still cools down; {@link Duration#ZERO} when it does not. */
  public Duration remaining(Target t) {
    long left = remainingNanos(t);
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /** The targets of {@code ordered} that are not cooling, in order ({@code ordered} itself when none is). */
  public List<Target> notCooling(List<Target> ordered) {
    if (notBefore.isEmpty()) {
      return ordered;
    }
    List<Target> kept = null;
    for (int i = 0; i < ordered.size(); i++) {
      Target t = ordered.get(i);
      boolean cooling = isCooling(t);
      if (cooling && kept == null) {
        kept = new ArrayList<>(ordered.subList(0, i));
      } else if (!cooling && kept != null) {
        kept.add(t);
      }
    }
    return kept == null ? ordered : Collections.unmodifiableList(kept);
  }

  private long remainingNanos(Target t) {
    Long until = notBefore.get(t.label());
    if (until == null) {
      return 0;
    }
    long left = until - ticker.nanos();
    if (left <= 0) {
      notBefore.remove(t.label(), until); // expired: forget it, unless someone renewed it meanwhile
    }
    return left;
  }

  /** Durations past ~146 years would overflow a long of nanoseconds; no cool-down is that long. */
  private static long saturatedNanos(Duration d) {
    try {
      return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
