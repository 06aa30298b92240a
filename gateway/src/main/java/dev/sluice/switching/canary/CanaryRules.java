package dev.sluice.switching.canary;

import java.util.Locale;

/**
 * The canary's state machine, pure: the same inputs give the same state on every replica, which is
 * what lets a shared store apply it under compare-and-set.
 *
 * <ul>
 *   <li>Rollback: once the window has {@code min_requests}, an error rate above {@code error_rate} or
 *       more than 5% of answers slower than {@code p95_ttft} sends the share to 0% ({@link CanaryPhase#ROLLED_BACK}).
 *   <li>Step: ramping, after {@code every} since the step started, with {@code min_requests} in the
 *       window and no limit tripped, the share grows by {@code step} (up to {@code max}) and a new
 *       window starts. With too few requests it holds, however long that takes.
 *   <li>At {@code max} ({@link CanaryPhase#COMPLETE}) the window still rolls over every {@code every}.
 * </ul>
 */
public final class CanaryRules {
  private CanaryRules() {}

  /** A canary starting now at its {@code start} share. */
  public static CanaryState fresh(CanarySpec spec, long now) {
    return fresh(spec, now, 1);
  }

  /** As {@link #fresh(CanarySpec, long)}, replacing a stored state of {@code version - 1} (of another config). */
  static CanaryState fresh(CanarySpec spec, long now, long version) {
    return new CanaryState(phaseFor(spec, spec.startPpm()), spec.startPpm(), now, CanaryWindow.EMPTY, null, 0,
        spec.fingerprint(), version);
  }

  /** A restart that keeps the last rollback's reason for the record. */
  static CanaryState restarted(CanarySpec spec, CanaryState from, long now) {
    CanaryState f = fresh(spec, now);
    return new CanaryState(f.phase(), f.sharePpm(), now, CanaryWindow.EMPTY, from.reason(), from.rolledBackAt(),
        f.fingerprint(), from.version() + 1);
  }

  private static CanaryPhase phaseFor(CanarySpec spec, long share) {
    return share >= spec.maxPpm() ? CanaryPhase.COMPLETE : CanaryPhase.RAMPING;
  }

  /** The state after one more canary request's outcome, judged at {@code now}. */
  public static CanaryState record(CanarySpec spec, CanaryState s, CanaryOutcome o, long now) {
    if (s.phase() == CanaryPhase.ROLLED_BACK) {
      return s; // a request routed before the rollback, ending after it
    }
    return evaluate(spec, s.withWindow(s.window().plus(o, spec.p95TtftMillis())), now);
  }

  /** The state at {@code now}: rolled back, stepped, rolled over, or as it was. */
  public static CanaryState evaluate(CanarySpec spec, CanaryState s, long now) {
    if (s.phase() == CanaryPhase.ROLLED_BACK) {
      return s;
    }
    String trip = tripped(spec, s.window());
    if (trip != null) {
      return s.rolledBack(trip, now);
    }
    boolean due = now - s.stepStartedAt() >= spec.everyMillis() && s.window().requests() >= spec.minRequests();
    if (!due || s.phase() == CanaryPhase.PAUSED) {
      return s;
    }
    long share = s.phase() == CanaryPhase.RAMPING ? Math.min(spec.maxPpm(), s.sharePpm() + spec.stepPpm()) : s.sharePpm();
    return s.next(phaseFor(spec, share), share, now, CanaryWindow.EMPTY);
  }

  /** Whether judging {@code s} at {@code now} would change it (so a shared store needs a write). */
  public static boolean wantsTransition(CanarySpec spec, CanaryState s, long now) {
    return !evaluate(spec, s, now).equals(s);
  }

  /**
   * An operator's action.
   *
   * @throws IllegalStateException when the action does not apply in this phase (resume after a rollback)
   */
  public static CanaryState command(CanarySpec spec, CanaryState s, CanaryAction a, long now) {
    return switch (a) {
      case RESTART -> restarted(spec, s, now);
      case ROLLBACK -> s.phase() == CanaryPhase.ROLLED_BACK ? s : s.rolledBack("rolled back by an operator", now);
      case PAUSE -> switch (s.phase()) {
        case ROLLED_BACK -> throw new IllegalStateException("the canary is rolled back; restart it instead");
        case PAUSED -> s;
        default -> s.next(CanaryPhase.PAUSED, s.sharePpm(), s.stepStartedAt(), s.window());
      };
      case RESUME -> switch (s.phase()) {
        case ROLLED_BACK -> throw new IllegalStateException("the canary is rolled back; restart it instead");
        case PAUSED -> s.next(phaseFor(spec, s.sharePpm()), s.sharePpm(), now, CanaryWindow.EMPTY);
        default -> s;
      };
    };
  }

  /** Why the window trips a limit, with the numbers; null when it does not (or has too few requests). */
  static String tripped(CanarySpec spec, CanaryWindow w) {
    if (w.requests() < spec.minRequests()) {
      return null;
    }
    if (w.errors() * CanarySpec.WHOLE > spec.errorRatePpm() * w.requests()) {
      return String.format(Locale.ROOT, "error rate %.1f%% above %.1f%% (%d failed of %d requests)",
          w.errorRate() * 100, spec.errorRatePpm() / 10_000.0, w.errors(), w.requests());
    }
    if (spec.p95TtftMillis() > 0 && w.slow() * 20 > w.requests()) {
      long p95 = w.p95TtftMillis();
      return String.format(Locale.ROOT, "p95 time to first token above %d ms (%d of %d requests slower; p95 about %s)",
          spec.p95TtftMillis(), w.slow(), w.requests(), p95 == Long.MAX_VALUE ? "over 60000 ms" : p95 + " ms");
    }
    return null;
  }
}
