package dev.sluice.resilience;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What to do after a failed attempt, as a value (see {@link ErrorPolicy#decide}).
 *
 * @param action retry the same target, fail over to the next, or return the error to the client
 * @param cause the class of the error that led here
 * @param retryAfter how long the upstream asked us to wait (Retry-After, x-ratelimit-reset); null
 *     when it did not say. When non-null the caller should {@link CooldownTracker#coolDown} the
 *     target for it, and a RETRY_SAME must wait at least that long ({@link Backoff#delay(int,
 *     java.util.random.RandomGenerator, Duration)}).
 */
public record RetryDecision(Action action, ErrorClass cause, Duration retryAfter) {

  public enum Action {
    /** Try the same target again (after backoff), budget permitting. */
    RETRY_SAME,
    /** Move on to the next target in route order. */
    FAIL_OVER,
    /** Give the error to the client: another attempt would fail the same way. */
    RETURN;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code retry_same | fail_over | return} (case and {@code -}/{@code _} do not matter). */
    public static Action parseWireName(String name) {
      String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
      for (Action a : values()) {
        if (a.wireName().equals(n)) {
          return a;
        }
      }
      throw new IllegalArgumentException("unknown action '" + name + "'; valid: retry_same, fail_over, return");
    }
  }

  public RetryDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(cause, "cause");
  }

  public static RetryDecision of(Action action, UpstreamError error) {
    return new RetryDecision(action, error.errorClass(), error.retryAfter());
  }

  /** Whether the caller should take the target out of rotation for a while. */
  public boolean coolsDownTarget() {
    return retryAfter != null && retryAfter.compareTo(Duration.ZERO) > 0;
  }
}
