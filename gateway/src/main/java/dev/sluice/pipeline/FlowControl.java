package dev.sluice.pipeline;

import dev.sluice.admission.AdaptiveLimit;
import dev.sluice.admission.AdaptiveLimits;
import dev.sluice.admission.Admission;
import dev.sluice.admission.AdmissionAttempt;
import dev.sluice.admission.AdmissionQueue;
import dev.sluice.admission.AdmissionRefusal;
import dev.sluice.admission.Decision;
import dev.sluice.admission.InFlightGuard;
import dev.sluice.admission.LimitSpec;
import dev.sluice.admission.Priority;
import dev.sluice.admission.PromptEstimate;
import dev.sluice.admission.RateLimitHeaders;
import dev.sluice.admission.RateLimiter;
import dev.sluice.admission.Reservation;
import dev.sluice.admission.Scope;
import dev.sluice.admission.ScopedLimit;
import dev.sluice.admission.ShedException;
import dev.sluice.admission.Ticket;
import dev.sluice.admission.TokenEstimator;
import dev.sluice.admission.Waiter;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ContentPart;
import dev.sluice.config.LimitsConfig;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.tenancy.Principal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Admission of chat requests: the gateway-wide in-flight guard, then rate limits of the key, its
 * team, the model entry and the chosen target (reserve-then-settle, atomic across scopes, shared
 * through Redis in cluster mode). A request over a limit waits in the bounded priority queue
 * (fair between tenants) until capacity frees, its wait ends, or its deadline would pass; then it
 * is shed at once. Thread-safe.
 */
final class FlowControl {
  private final RateLimiter limiter;
  private final AdmissionQueue queue;
  private final InFlightGuard guard;
  private final AdaptiveLimits adaptive;
  private final TokenEstimator estimator;
  private final Map<String, LimitSpec> teamLimits;
  private final Map<String, LimitSpec> modelLimits;
  private final Map<String, LimitSpec> targetLimits;
  private final Map<String, Integer> modelMaxTokens;

  FlowControl(RateLimiter limiter, AdmissionQueue queue, InFlightGuard guard, AdaptiveLimits adaptive,
      TokenEstimator estimator, Map<String, LimitSpec> teamLimits, Map<String, LimitSpec> modelLimits,
      Map<String, LimitSpec> targetLimits, Map<String, Integer> modelMaxTokens) {
    this.limiter = limiter;
    this.queue = queue;
    this.guard = guard;
    this.adaptive = adaptive;
    this.estimator = estimator;
    this.teamLimits = Map.copyOf(teamLimits);
    this.modelLimits = Map.copyOf(modelLimits);
    this.targetLimits = Map.copyOf(targetLimits);
    this.modelMaxTokens = Map.copyOf(modelMaxTokens);
  }

  /**
   * The same admission (limiter counters, queue, in-flight guard, adaptive limits, tokenizers) with
   * the team, model-entry and target limits of a reloaded config: a scope keeps what it has used,
   * measured against its new limit from the next request on.
   */
  FlowControl withLimits(Map<String, LimitSpec> teamLimits, Map<String, LimitSpec> modelLimits,
      Map<String, LimitSpec> targetLimits, Map<String, Integer> modelMaxTokens) {
    return new FlowControl(limiter, queue, guard, adaptive, estimator, teamLimits, modelLimits, targetLimits,
        modelMaxTokens);
  }

  static LimitSpec spec(LimitsConfig c) {
    return c == null ? LimitSpec.NONE : new LimitSpec(c.rpm(), c.tpm(), c.maxConcurrency());
  }

  /**
   * A request let in: the reservation to settle when it ends, the candidate it reserved, and the
   * rate-limit headers to answer with (empty when no limit applies).
   */
  record Admitted(Reservation reservation, int candidateIndex, RateLimitHeaders headers) {}

  /**
   * Admits a request or fails with {@link AdmissionRefusal} (429 naming the limit, or 503) — at once, or when
   * the queue gives up on it. On success the caller must {@link #done} it exactly once.
   *
   * @param estimate the tokens to reserve: the prompt's {@linkplain #estimateInput estimate} and the
   *     {@linkplain #reserveOutput output reserve}
   * @param gone completes when the client hangs up: a request still waiting then leaves the queue at
   *     once (the future fails), and what a late attempt admitted for it is given back
   */
  Future<Admitted> admit(Principal who, String modelEntry, long estimate, List<Candidate> candidates,
      Priority priority, Duration remaining, Future<?> gone) {
    if (!guard.tryAcquire()) {
      return Future.failedFuture(new AdmissionRefusal(new ApiError(503, "server_error", "gateway_busy",
          null, "The gateway is at its in-flight limit; retry shortly"), Map.of(), Duration.ofSeconds(1)));
    }
    ReserveAttempt attempt = new ReserveAttempt(scopes(who, modelEntry), candidates, estimate);
    Future<Admitted> admitted = attempt.tryAdmit().compose(d -> switch (d.kind()) {
      case ADMIT -> Future.succeededFuture(d.value());
      case REJECT -> Future.failedFuture(attempt.refused(attempt.refusal()));
      case NOT_YET -> {
        Waiter<Admitted> waiter = queue.enqueue(who.tenant(), priority, remaining, d.waitsFor(), attempt);
        // Gone means gone now, not at max_wait: a waiter nobody waits for must not hold a place,
        // count toward anyone's predicted wait, or be admitted later to spend a limit for nothing.
        gone.onComplete(v -> waiter.cancel());
        yield waiter.ticket().map(Ticket::value)
            .recover(e -> Future.failedFuture(e instanceof ShedException s ? attempt.refused(attempt.shed(s)) : e));
      }
    });
    return admitted.onFailure(e -> guard.release());
  }

  /**
   * Settles an admitted request's reservation on its actual tokens and wakes waiters. It takes the
   * reservation, not the admission: what settles a stream lives as long as the stream, and the
   * admission's headers (~0.6 kB) are on the response by then.
   */
  void done(Reservation reservation, long actualTokens) {
    reservation.settle(actualTokens).onComplete(v -> queue.signal());
    guard.release();
  }

  /**
   * Builds the tokenizers requests for these models will use; slow (hundreds of ms): call once at
   * start, off the event loop.
   */
  void warmUp(java.util.Collection<String> modelNames) {
    estimator.warmUpFor(modelNames);
  }

  /** The adaptive concurrency limit of a target (AIMD on latency and 429/timeouts). */
  AdaptiveLimit adaptive(String targetLabel) {
    return adaptive.forTarget(targetLabel);
  }

  /** Whether a request waits in the admission queue: the gateway is at a limit (shadow copies back off). */
  boolean queueing() {
    return queue.size() > 0;
  }

  /** Output tokens to reserve: the request's max_tokens, else the model's default, else the estimator's. */
  long reserveOutput(ChatRequest request, String modelEntry) {
    Integer max = request.body().maxCompletionTokens() != null ? request.body().maxCompletionTokens()
        : request.body().maxTokens();
    return estimator.reserveOutput(max, modelMaxTokens.getOrDefault(modelEntry, 0));
  }

  /**
   * Prompt tokens, estimated before the call (jtokkit for OpenAI-family models, calibrated otherwise).
   * A {@linkplain TokenEstimator#estimate slow} estimate asked for on an event loop is finished on a
   * worker thread, the future completing back on the event loop: a fresh 16 kB prompt is 0.2-0.5 ms of
   * counting (measured here), which would otherwise hold every other request on that loop. Any other
   * estimate is returned completed.
   */
  Future<Long> estimateInput(ChatRequest request) {
    Prompt prompt = prompt(request);
    int messages = request.body().messages().size();
    PromptEstimate estimate = estimator.estimate(request.model(), prompt.texts(), prompt.images(), messages);
    if (estimate.ready()) {
      return Future.succeededFuture(estimate.tokens());
    }
    Context context = Vertx.currentContext();
    if (context != null && context.isEventLoopContext()) {
      return context.executeBlocking(estimate::finish, false);
    }
    return Future.succeededFuture(estimate.finish());
  }

  /** The texts of a request that its prompt estimate counts, and its images. */
  private record Prompt(List<String> texts, int images) {}

  private static Prompt prompt(ChatRequest request) {
    List<String> texts = new ArrayList<>();
    int images = 0;
    for (ChatMessage m : request.body().messages()) {
      if (m.content() != null) {
        if (m.content().text() != null) {
          texts.add(m.content().text());
        } else {
          for (ContentPart p : m.content().parts()) {
            if (p.text() != null) {
              texts.add(p.text());
            } else if ("image_url".equals(p.type())) {
              images++;
            }
          }
        }
      }
      if (m.toolCalls() != null) {
        m.toolCalls().forEach(c -> texts.add(c.arguments()));
      }
    }
    return new Prompt(texts, images);
  }

  private List<ScopedLimit> scopes(Principal who, String modelEntry) {
    List<ScopedLimit> out = new ArrayList<>(4);
    add(out, Scope.key(who.name()), spec(who.limits()));
    if (who.team() != null) {
      add(out, Scope.team(who.team()), teamLimits.getOrDefault(who.team(), LimitSpec.NONE));
    }
    add(out, Scope.model(modelEntry), modelLimits.getOrDefault(modelEntry, LimitSpec.NONE));
    return out;
  }

  private static void add(List<ScopedLimit> out, Scope scope, LimitSpec spec) {
    if (!spec.unlimited()) {
      out.add(new ScopedLimit(scope, spec));
    }
  }

  /**
   * Tries the request's own scopes together with each candidate target's limits in route order;
   * the first candidate with room is the one the request reserved.
   */
  private final class ReserveAttempt implements AdmissionAttempt<Admitted> {
    private final List<ScopedLimit> own;
    private final List<Candidate> candidates;
    private final long estimate;
    private Admission lastRefusal;

    ReserveAttempt(List<ScopedLimit> own, List<Candidate> candidates, long estimate) {
      this.own = own;
      this.candidates = candidates;
      this.estimate = estimate;
    }

    @Override
    public Future<Decision<Admitted>> tryAdmit() {
      return tryFrom(0, null, new TreeSet<>());
    }

    /** {@code fullTargets}: the targets of the candidates before {@code i}, all without room. */
    private Future<Decision<Admitted>> tryFrom(int i, Duration soonest, TreeSet<String> fullTargets) {
      if (i >= candidates.size()) {
        // It waits for a slot on any of them: it competes with the other waiters for the same set.
        return Future.succeededFuture(Decision.notYet(soonest, String.join("|", fullTargets)));
      }
      List<ScopedLimit> limits = new ArrayList<>(own);
      LimitSpec target = targetLimits.getOrDefault(candidates.get(i).target().label(), LimitSpec.NONE);
      if (!target.unlimited()) {
        limits.add(new ScopedLimit(Scope.target(candidates.get(i).target().label()), target));
      }
      if (limits.isEmpty()) {
        return Future.succeededFuture(Decision.admit(new Admitted(Reservation.none(estimate), i, RateLimitHeaders.NONE)));
      }
      return limiter.reserve(limits, estimate).compose(a -> {
        switch (a.verdict()) {
          case ADMITTED:
            return Future.succeededFuture(Decision.admit(new Admitted(a.reservation(), i, a.headers())));
          case LIMITED:
            lastRefusal = a;
            String scope = a.scope().map(Scope::toString).orElse(null);
            boolean targetOnly = a.scope().map(s -> Scope.TARGET.equals(s.kind())).orElse(false);
            Duration next = soonest == null || a.retryAfter().compareTo(soonest) < 0 ? a.retryAfter() : soonest;
            // A full target: the next candidate may have room. A full key, team or model: none will.
            if (targetOnly) {
              fullTargets.add(scope);
              return tryFrom(i + 1, next, fullTargets);
            }
            return Future.succeededFuture(Decision.notYet(a.retryAfter(), scope));
          default:
            lastRefusal = a;
            return Future.succeededFuture(Decision.reject(a.reason()));
        }
      });
    }

    /** Admitted for a waiter that had left: the capacity goes back, and to the next waiter at once. */
    @Override
    public void abandon(Admitted admitted) {
      admitted.reservation().release().onComplete(v -> queue.signal());
    }

    /** The refusal when waiting cannot help (a request larger than a whole tpm, Redis down and fail-closed). */
    ApiError refusal() {
      int status = lastRefusal == null ? 429 : lastRefusal.httpStatus();
      return new ApiError(status, status == 503 ? "server_error" : "rate_limit_error",
          status == 503 ? "rate_limiter_unavailable" : "rate_limit_exceeded", null,
          lastRefusal == null ? "Rate limit exceeded" : lastRefusal.reason());
    }

    /** The refusal after the queue gave up on the request. */
    ApiError shed(ShedException s) {
      String limit = lastRefusal == null ? "a rate limit" : lastRefusal.reason();
      String why = switch (s.reason()) {
        case QUEUE_FULL -> "the admission queue is full";
        case WAIT_TOO_LONG -> "the wait for capacity would pass the request's deadline or max_wait";
        case TIMED_OUT -> "no capacity freed within the request's maximum wait";
        default -> "the request could not be admitted";
      };
      return new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, "Rate limit exceeded: " + limit + "; " + why);
    }

    AdmissionRefusal refused(ApiError error) {
      return new AdmissionRefusal(error, lastRefusal == null ? Map.of() : lastRefusal.headers().toMap(),
          lastRefusal == null ? null : lastRefusal.retryAfter());
    }
  }
}
