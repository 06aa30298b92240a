package dev.sluice.admission;

import dev.sluice.core.Ticker;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In-process {@link RateLimiter}: one leaky bucket ({@link Bucket}, GCRA-equivalent) per scope for
 * rpm and for tpm, and an in-flight count for concurrency.
 *
 * <p>Threading: thread-safe; called from several event loops. Every reserve and settle runs under
 * one short lock (a few map look-ups and arithmetic, no I/O), which is what makes the check across
 * all scopes and the charge of all scopes one atomic step. The returned futures are already
 * complete.
 *
 * <p>Lifecycle: no threads or timers of its own. State of a scope that is back to "fresh" (empty
 * buckets, nothing in flight) is dropped now and then, so the map tracks active scopes only.
 */
public final class LocalRateLimiter implements RateLimiter {
  /** Default hint for a concurrency refusal: a slot frees when some request ends, unknown when. */
  public static final Duration DEFAULT_CONCURRENCY_RETRY = Duration.ofSeconds(1);
  private static final int SWEEP_EVERY = 1024;

  private final Ticker ticker;
  private final Duration concurrencyRetry;
  private final Object lock = new Object();
  private final Map<Scope, ScopeState> states = new HashMap<>();
  private int callsSinceSweep;

  public LocalRateLimiter(Ticker ticker) {
    this(ticker, DEFAULT_CONCURRENCY_RETRY);
  }

  public LocalRateLimiter(Ticker ticker, Duration concurrencyRetry) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.concurrencyRetry = Objects.requireNonNull(concurrencyRetry, "concurrencyRetry");
  }

  private static final class ScopeState {
    final Bucket requests = new Bucket();
    final Bucket tokens = new Bucket();
    int inFlight;
  }

  @Override
  public Future<Admission> reserve(List<ScopedLimit> limits, long estimatedTokens) {
    return Future.succeededFuture(tryReserve(limits, estimatedTokens));
  }

  /** The same as {@link #reserve}, answered synchronously. */
  public Admission tryReserve(List<ScopedLimit> limits, long estimatedTokens) {
    Limits.check(limits, estimatedTokens);
    List<ScopedLimit> held = List.copyOf(limits);
    synchronized (lock) {
      long now = ticker.nanos();
      sweepNowAndThen(now);
      int n = held.size();
      double[] req = new double[n];
      double[] tok = new double[n];
      Refusal refusal = null;
      HeaderTracker headers = new HeaderTracker();
      for (int i = 0; i < n; i++) {
        ScopedLimit l = held.get(i);
        LimitSpec spec = l.spec();
        ScopeState s = states.computeIfAbsent(l.scope(), k -> new ScopeState());
        if (spec.rpm() > 0) {
          req[i] = s.requests.level(now, spec.rpm());
          if (req[i] + 1 > spec.rpm()) {
            refusal = Refusal.worse(refusal, new Refusal(l.scope(), LimitKind.REQUESTS,
                Bucket.timeToDrain(req[i] + 1, spec.rpm(), spec.rpm()), false, 0));
          }
        }
        if (spec.tpm() > 0) {
          tok[i] = s.tokens.level(now, spec.tpm());
          if (estimatedTokens > spec.tpm()) {
            refusal = Refusal.worse(refusal, new Refusal(l.scope(), LimitKind.TOKENS, Duration.ZERO, true, spec.tpm()));
          } else if (tok[i] + estimatedTokens > spec.tpm()) {
            refusal = Refusal.worse(refusal, new Refusal(l.scope(), LimitKind.TOKENS,
                Bucket.timeToDrain(tok[i] + estimatedTokens, spec.tpm(), spec.tpm()), false, 0));
          }
        }
        if (spec.maxConcurrency() > 0 && s.inFlight + 1 > spec.maxConcurrency()) {
          refusal = Refusal.worse(refusal, new Refusal(l.scope(), LimitKind.CONCURRENCY, concurrencyRetry, false, 0));
        }
      }
      if (refusal != null) {
        for (int i = 0; i < n; i++) {
          track(headers, held.get(i).spec(), req[i], tok[i]);
        }
        return refusal.toAdmission(estimatedTokens, headers.build());
      }
      for (int i = 0; i < n; i++) {
        ScopedLimit l = held.get(i);
        LimitSpec spec = l.spec();
        ScopeState s = states.get(l.scope());
        if (spec.rpm() > 0) {
          s.requests.set(req[i] += 1, now, spec.rpm());
        }
        if (spec.tpm() > 0) {
          s.tokens.set(tok[i] += estimatedTokens, now, spec.tpm());
        }
        if (spec.maxConcurrency() > 0) {
          s.inFlight++;
        }
        track(headers, spec, req[i], tok[i]);
      }
      return Admission.admitted(new LocalReservation(held, estimatedTokens), headers.build());
    }
  }

  private static void track(HeaderTracker headers, LimitSpec spec, double req, double tok) {
    if (spec.rpm() > 0) {
      headers.requests(spec.rpm(), req);
    }
    if (spec.tpm() > 0) {
      headers.tokens(spec.tpm(), tok);
    }
  }

  private void settle(List<ScopedLimit> held, long delta) {
    synchronized (lock) {
      long now = ticker.nanos();
      for (ScopedLimit l : held) {
        LimitSpec spec = l.spec();
        // Looked up again rather than kept: the state may have been swept while the request ran
        // (nothing in flight there), and a debt must land on the live state.
        ScopeState s = states.computeIfAbsent(l.scope(), k -> new ScopeState());
        if (spec.tpm() > 0 && delta != 0) {
          s.tokens.set(s.tokens.level(now, spec.tpm()) + delta, now, spec.tpm());
        }
        if (spec.maxConcurrency() > 0 && s.inFlight > 0) {
          s.inFlight--;
        }
      }
    }
  }

  /** Scopes currently tracked; for tests and metrics. */
  public int trackedScopes() {
    synchronized (lock) {
      return states.size();
    }
  }

  private void sweepNowAndThen(long now) {
    if (++callsSinceSweep < SWEEP_EVERY) {
      return;
    }
    callsSinceSweep = 0;
    // An idle scope (drained buckets, nothing in flight) behaves exactly like a fresh one.
    states.values().removeIf(s -> s.inFlight == 0 && s.requests.empty(now) && s.tokens.empty(now));
  }

  /** A refusal candidate; the worst one across scopes is reported. */
  private record Refusal(Scope scope, LimitKind kind, Duration retryAfter, boolean tooLarge, long tpm) {
    static Refusal worse(Refusal a, Refusal b) {
      if (a == null) {
        return b;
      }
      if (a.tooLarge != b.tooLarge) {
        return a.tooLarge ? a : b; // waiting never helps: say so rather than a retry time
      }
      return b.retryAfter.compareTo(a.retryAfter) > 0 ? b : a; // every scope must free, so the longest wait counts
    }

    Admission toAdmission(long estimatedTokens, RateLimitHeaders headers) {
      return tooLarge ? Admission.tooLarge(scope, estimatedTokens, tpm, headers)
          : Admission.limited(scope, kind, retryAfter, headers);
    }
  }

  private final class LocalReservation implements Reservation {
    private final List<ScopedLimit> held;
    private final long estimated;
    private final AtomicBoolean done = new AtomicBoolean();

    LocalReservation(List<ScopedLimit> held, long estimated) {
      this.held = held;
      this.estimated = estimated;
    }

    @Override
    public long estimatedTokens() {
      return estimated;
    }

    @Override
    public Future<Void> settle(long actualTokens) {
      if (done.compareAndSet(false, true)) {
        LocalRateLimiter.this.settle(held, Math.max(0, actualTokens) - estimated);
      }
      return Future.succeededFuture();
    }

    @Override
    public boolean done() {
      return done.get();
    }
  }
}
