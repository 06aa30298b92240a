package dev.sluice.pipeline;

import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.resilience.BreakerState;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each target's attempts did since the gateway started, for the admin API: attempts by kind,
 * successes, errors with the last {@link #RECENT_ERRORS} of them, the rate-limit headroom its
 * provider last reported and when its breaker last opened. Keyed by {@link Target#label()};
 * configured targets are known from the start, others from their first attempt.
 *
 * <p>Thread-safe. The hot path pays a map look-up and a {@link LongAdder} increment per attempt;
 * errors and headroom take the target's own monitor for a few field updates. Messages it keeps are
 * the already redacted ones attempts report (never raw provider text), trimmed.
 */
final class TargetActivity {
  /** Failed attempts kept per target, newest first. */
  static final int RECENT_ERRORS = 20;
  /** Longest error message kept, in characters. */
  static final int MAX_MESSAGE = 300;

  /** Why an attempt was made. */
  enum Kind { FIRST, RETRY, HEDGE, FALLBACK }

  private final Clock clock;
  private final Instant since;
  private final ConcurrentHashMap<String, Entry> byTarget = new ConcurrentHashMap<>();

  TargetActivity(Clock clock, Collection<Target> configured) {
    this.clock = clock;
    this.since = clock.instant();
    configured.forEach(this::entry);
  }

  /** Adds the targets a config reload configured (the ones already known keep their counts). */
  void configured(Collection<Target> targets) {
    targets.forEach(this::entry);
  }

  /** When counting started (the gateway's start). */
  Instant since() {
    return since;
  }

  void attempt(Target t, Kind kind) {
    Entry e = entry(t);
    e.attempts.increment();
    switch (kind) {
      case RETRY -> e.retries.increment();
      case HEDGE -> e.hedges.increment();
      case FALLBACK -> e.fallbacks.increment();
      case FIRST -> { }
    }
  }

  void succeeded(Target t) {
    entry(t).successes.increment();
  }

  /** {@code error} must be the redacted error the attempt reported. */
  void failed(Target t, UpstreamError error) {
    Entry e = entry(t);
    e.errors.increment();
    String message = error.message() == null ? "" : error.message();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 1) + "…";
    }
    TargetReport.FailureNote note = new TargetReport.FailureNote(clock.instant(), error.status(),
        error.errorClass().wireName(), message);
    synchronized (e) {
      e.recent.addFirst(note);
      if (e.recent.size() > RECENT_ERRORS) {
        e.recent.removeLast();
      }
    }
  }

  /** Keeps the headroom an answer's headers report, if they report any. */
  void headroom(Target t, MultiMap headers) {
    TargetReport.SeenHeadroom seen = ProviderHeadroom.seen(headers, clock.instant());
    if (seen != null) {
      entry(t).headroom = seen;
    }
  }

  /** A breaker listener: remembers when each breaker opened. Quick; called under the breaker's monitor. */
  void breakerChanged(Target t, BreakerState state) {
    if (state == BreakerState.OPEN) {
      entry(t).openedAt = clock.instant();
    }
  }

  Instant now() {
    return clock.instant();
  }

  /** Every known target's record, in label order, with the parts the recorder does not hold left to fill. */
  List<Recorded> snapshot() {
    List<Recorded> out = new ArrayList<>(byTarget.size());
    byTarget.values().forEach(e -> {
      List<TargetReport.FailureNote> recent;
      synchronized (e) {
        recent = List.copyOf(e.recent);
      }
      out.add(new Recorded(e.target, e.openedAt, e.headroom, e.attempts.sum(), e.successes.sum(), e.retries.sum(),
          e.hedges.sum(), e.fallbacks.sum(), e.errors.sum(), recent));
    });
    out.sort(java.util.Comparator.comparing(r -> r.target().label()));
    return out;
  }

  /** One target's recorded activity, as {@link #snapshot()} copies it. */
  record Recorded(Target target, Instant openedAt, TargetReport.SeenHeadroom headroom, long attempts, long successes,
      long retries, long hedges, long fallbacks, long errors, List<TargetReport.FailureNote> recent) {}

  private Entry entry(Target t) {
    Entry e = byTarget.get(t.label());
    return e != null ? e : byTarget.computeIfAbsent(t.label(), k -> new Entry(t));
  }

  private static final class Entry {
    final Target target;
    final LongAdder attempts = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder hedges = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** Guarded by this. */
    final ArrayDeque<TargetReport.FailureNote> recent = new ArrayDeque<>(RECENT_ERRORS + 1);
    volatile TargetReport.SeenHeadroom headroom;
    volatile Instant openedAt;

    Entry(Target target) {
      this.target = target;
    }
  }
}
