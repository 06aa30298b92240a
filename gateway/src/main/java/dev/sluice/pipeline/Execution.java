package dev.sluice.pipeline;

import dev.sluice.admission.AdaptiveLimit;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.LoopDeadlines;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.core.UpstreamTimeouts;
import dev.sluice.resilience.RetryDecision.Action;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one client request to an answer across attempts: the first target, retries with backoff on
 * the same target, fail-over to the next, fallback model entries, a hedge when the first token is
 * late, all inside the request's deadline and before the first byte reaches the client. The first
 * attempt to be ready is committed; every other is cancelled. Lives on the request's event loop.
 *
 * <p>A target is retried at most {@link ModelPlan#sameTarget()} times per request while an untried
 * target or fallback is left; past that cap the request fails over, and comes back to the capped
 * target only when the fail-over found nothing else to try.
 */
final class Execution implements UpstreamAttempt.Listener {
  private final RoutingContext ctx;
  private final Exchange ex;
  private final FrontDoor front;
  /** The request as the client sent it; null once a stream is committed ({@link #forgetRequest}). */
  private ChatRequest request;
  private final Services services;
  private final TargetFeedback feedback;
  private final long deadlineNanos;
  private final List<UpstreamAttempt> attempts = new ArrayList<>();
  private final List<UpstreamAttempt> live = new ArrayList<>(2);
  private final Set<String> visitedModels = new HashSet<>();
  private final Set<String> triedTargets = new HashSet<>();
  private ModelPlan plan;
  private List<Candidate> candidates;
  private int nextCandidate;
  /** The last failed attempt, when it wanted a retry the same-target cap turned into a fail-over. */
  private UpstreamAttempt capped;
  /** A candidate was passed over because its adaptive concurrency limit was full (load, not failure). */
  private boolean atConcurrencyLimit;
  private UpstreamError lastError;
  private LoopDeadlines.Deadline deadline;
  private long hedgeTimer = -1;
  private long retryTimer = -1;
  private boolean hedged;
  private boolean done;

  Execution(RoutingContext ctx, Exchange ex, FrontDoor front, ChatRequest request, Services services,
      long deadlineNanos) {
    this.ctx = ctx;
    this.ex = ex;
    this.front = front;
    this.request = request;
    this.services = services;
    this.feedback = new TargetFeedback(services, ex.canary);
    this.deadlineNanos = deadlineNanos;
  }

  /** The first model's candidates are already known to be non-empty and capable. */
  void start(ModelPlan firstPlan, List<Candidate> firstCandidates) {
    // On the loop's deadline wheel: set and cancelled per request, and almost never due.
    deadline = LoopDeadlines.onContext(services.vertx(), deadlineNanos, this::onDeadline);
    ctx.response().closeHandler(v -> clientGone());
    enter(firstPlan, firstCandidates);
    launchNext();
  }

  private void enter(ModelPlan next, List<Candidate> nextCandidates) {
    plan = next;
    candidates = nextCandidates;
    nextCandidate = 0;
    visitedModels.add(next.name());
    if (plan.hedge() != null) {
      plan.hedgeBudget().onRequest();
    }
  }

  /** Starts an attempt on the next admissible candidate, or moves on when there is none. */
  private void launchNext() {
    while (nextCandidate < candidates.size()) {
      Candidate c = candidates.get(nextCandidate++);
      if (triedTargets.contains(c.target().label()) || services.health().cooldowns().isCooling(c.target())) {
        continue;
      }
      boolean first = attempts.isEmpty();
      if (!first && !services.health().takesFailOver(c.target())) {
        continue; // a failing target may not take more extra attempts now: an outage must not multiply load
      }
      if (launch(c, false, false)) {
        return;
      }
    }
    afterCandidatesExhausted();
  }

  /** @return false when the target's breaker refused or the request cannot be encoded for it */
  private boolean launch(Candidate c, boolean hedge, boolean retry) {
    AdaptiveLimit limit = services.flow().adaptive(c.target().label());
    if (!limit.tryAcquire()) {
      atConcurrencyLimit = true;
      return false; // the target's adaptive concurrency limit is full: try the next one
    }
    if (!services.health().breaker(c.target()).tryAcquire() && !panic()) {
      limit.onIgnored();
      return false;
    }
    UpstreamRequest encoded;
    try {
      encoded = c.provider().adapter().encode(c.request(), c.target());
    } catch (WireFormatException e) {
      services.health().breaker(c.target()).onIgnored();
      limit.onIgnored();
      if (attempts.isEmpty()) {
        finishWithError(ApiError.invalidRequest(e.param(), e.getMessage() + " (target " + c.target().label() + ")"));
        return true;
      }
      return false;
    }
    triedTargets.add(c.target().label());
    capped = null; // something else was found to try
    if (attempts.isEmpty()) {
      services.health().retryBudget(c.target()).onRequest();
    }
    // A provider/model request has no model entry of its own: the ledger names it by what was asked.
    String entry = plan == services.directPlan() ? request.model() : plan.name();
    UpstreamAttempt a = new UpstreamAttempt(c, hedge, retry, entry, this);
    services.health().activity().attempt(c.target(), hedge ? TargetActivity.Kind.HEDGE : retry ? TargetActivity.Kind.RETRY
        : attempts.isEmpty() ? TargetActivity.Kind.FIRST : TargetActivity.Kind.FALLBACK);
    attempts.add(a);
    live.add(a);
    services.health().inFlight(c.target()).incrementAndGet();
    a.adaptiveLimit(limit);
    if (ex.trace != null) {
      RequestSpans.startAttempt(ex, a, encoded, services.health().breaker(c.target()).state(), attempts.size() == 1);
    }
    a.start(encoded, timeoutsFor(c));
    if (!hedge && !hedged && plan.hedge() != null && hedgeTimer < 0) {
      armHedge();
    }
    return true;
  }

  /**
   * Every breaker of the current model is open: rather than eject every target at once, try them
   * anyway (a recovered provider is found by traffic, not only by the occasional probe).
   */
  private boolean panic() {
    return !services.health().breakers().anyAvailable(candidates.stream().map(Candidate::target).toList());
  }

  private UpstreamTimeouts timeoutsFor(Candidate c) {
    UpstreamTimeouts t = c.provider().client().endpoint().timeouts().overriddenBy(plan.timeouts());
    return t.capTotal(Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime())));
  }

  private void armHedge() {
    long delayMs = Math.max(1, plan.hedgeDelay().toMillis());
    hedgeTimer = services.vertx().setTimer(delayMs, id -> {
      hedgeTimer = -1;
      if (done || live.size() != 1 || !plan.hedgeBudget().tryAcquireHedge()) {
        return;
      }
      for (int i = nextCandidate; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        if (!triedTargets.contains(c.target().label()) && !services.health().cooldowns().isCooling(c.target())
            && launch(c, true, false)) {
          hedged = true;
          return;
        }
      }
    });
  }

  @Override
  public void onReady(UpstreamAttempt a) {
    live.remove(a);
    if (done) {
      a.cancel("lost");
      feedback.release(a, TargetFeedback.Signal.IGNORED);
      return;
    }
    done = true;
    cancelTimers();
    for (UpstreamAttempt other : List.copyOf(live)) {
      other.cancel("lost"); // the loser of a hedge race, cancelled upstream
      feedback.release(other, TargetFeedback.Signal.IGNORED);
    }
    live.clear();
    if (request.stream()) {
      // The first token goes to the client before the target's bookkeeping: none of it changes what
      // the client is sent, and on a stream it sits between the provider's first token and the
      // client's (bench/results/ttft.md).
      commit(a);
      learnFrom(a);
      forgetRequest();
      return;
    }
    learnFrom(a);
    commit(a);
  }

  /**
   * A stream is committed: no attempt will be made or remade, so nothing here reads the request
   * again. Letting go of it, and of every attempt's copy, frees the prompt (often most of what a
   * stream holds) for the rest of the stream, which can run for minutes. The front stream and the
   * answer tap keep what they need of it themselves.
   */
  private void forgetRequest() {
    request = null;
    candidates = null;
    for (UpstreamAttempt a : attempts) {
      a.forgetRequest();
    }
  }

  /** What the committed attempt teaches about its target: outcome, headroom, latency. */
  private void learnFrom(UpstreamAttempt a) {
    feedback.release(a, TargetFeedback.Signal.SUCCESS);
    feedback.noteHeadroom(a);
    services.health().activity().succeeded(a.target());
    services.health().latency(a.target()).record(a.ttftNanos());
    plan.ttft().record(a.ttftNanos());
  }

  @Override
  public void onFailed(UpstreamAttempt a, UpstreamError error) {
    live.remove(a);
    services.metrics().upstreamError(a.provider().name(), error.errorClass().wireName());
    services.health().activity().failed(a.target(), error);
    if (TargetFeedback.countsAgainstTarget(error)) {
      feedback.release(a, TargetFeedback.dropsLoad(a, error) ? TargetFeedback.Signal.DROPPED : TargetFeedback.Signal.FAILURE);
      // A target that fails fast must not look fast to latency routing.
      services.health().latency(a.target()).record(a.latencyNanos());
    } else {
      feedback.release(a, TargetFeedback.Signal.SUCCESS); // the target answered; the request was at fault
    }
    if (error.retryAfter() != null && !error.retryAfter().isZero()) {
      services.health().cooldowns().coolDown(a.target(), error.retryAfter());
    } else if (error.errorClass() == ErrorClass.RATE_LIMITED) {
      services.health().cooldowns().coolDown(a.target(), Duration.ofSeconds(1));
    }
    feedback.noteHeadroom(a);
    lastError = error;
    if (done || !live.isEmpty()) {
      return; // a hedge sibling is still running: let it finish
    }
    decide(a, error);
  }

  private void decide(UpstreamAttempt failed, UpstreamError error) {
    Action action = plan.errors().actionFor(error.errorClass());
    if (action == Action.RETURN) {
      String detour = error.errorClass() == ErrorClass.CONTEXT_LENGTH_EXCEEDED ? plan.onContextLength()
          : error.errorClass() == ErrorClass.CONTENT_FILTER ? plan.onContentFilter() : null;
      if (detour != null && !visitedModels.contains(detour) && enterModel(detour)) {
        launchNext();
        return;
      }
      finishWithError(clientError(failed, error));
      return;
    }
    if (attempts.size() >= plan.maxAttempts()) {
      finishExhausted();
      return;
    }
    if (action == Action.RETRY_SAME) {
      if (!plan.sameTarget().allowsRetry(attemptsOn(failed))) {
        capped = failed; // retried enough here: the next attempt goes elsewhere if there is an elsewhere
      } else if (retrySame(failed, error)) {
        return;
      }
    }
    launchNext();
  }

  /**
   * Schedules another attempt on the failed attempt's target after backoff (never sooner than its
   * Retry-After). False, and nothing scheduled, when the target is cooling down, its breaker has just
   * opened, its retry budget is spent, or the wait would pass the deadline.
   */
  private boolean retrySame(UpstreamAttempt failed, UpstreamError error) {
    Candidate again = failed.candidate();
    if (services.health().cooldowns().isCooling(again.target())
        || (!services.health().breaker(again.target()).isAvailable() && !panic())
        || !services.health().retryBudget(again.target()).tryAcquireRetry()) {
      return false;
    }
    Duration delay = plan.backoff().delay(attemptsOn(failed), ThreadLocalRandom.current(), error.retryAfter());
    if (System.nanoTime() + delay.toNanos() >= deadlineNanos) {
      return false;
    }
    retryTimer = services.vertx().setTimer(Math.max(1, delay.toMillis()), id -> {
      retryTimer = -1;
      if (!done) {
        triedTargets.remove(again.target().label());
        if (!launch(again, false, true)) {
          launchNext();
        }
      }
    });
    return true;
  }

  /** How many attempts this request has made on {@code a}'s target so far, {@code a} included. */
  private int attemptsOn(UpstreamAttempt a) {
    int n = 0;
    for (UpstreamAttempt other : attempts) {
      if (other.target().label().equals(a.target().label())) {
        n++;
      }
    }
    return n;
  }

  /** No candidate of the current model is left: on to the next fallback entry, or give up. */
  private void afterCandidatesExhausted() {
    if (done) {
      return;
    }
    if (attempts.size() < plan.maxAttempts()) {
      for (String fallback : plan.fallbacks()) {
        if (!visitedModels.contains(fallback) && enterModel(fallback)) {
          launchNext();
          return;
        }
      }
      // Nowhere else to go: the capped target gets its retries after all, up to max_attempts.
      UpstreamAttempt back = capped;
      capped = null;
      if (back != null && lastError != null && retrySame(back, lastError)) {
        return;
      }
    }
    finishExhausted();
  }

  /** Switches to another model entry; false when it has no capable target. */
  private boolean enterModel(String name) {
    var next = services.resolve(name, request, Services.facts(ex.principal, ex.model));
    if (next == null) {
      visitedModels.add(name);
      return false;
    }
    enter(next.plan(), next.candidates());
    return true;
  }

  private void finishExhausted() {
    if (plan.degraded() != null && plan.degraded().answer() != null) {
      done = true;
      cancelTimers();
      ex.attempts = List.copyOf(attempts);
      DegradedAnswer.write(ctx, ex, front, request, plan.degraded().answer());
      return;
    }
    if (lastError == null && atConcurrencyLimit) {
      // Shed for load, as the admission queue sheds: the client should come back, nothing is broken.
      finishWithError(new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, "Over capacity: the"
          + " targets of model '" + request.model() + "' that are not failing are at their concurrency limit;"
          + " retry shortly"), 1);
      return;
    }
    if (lastError == null) {
      // Every target was refused before any attempt: open breakers or Retry-After cool-downs.
      ApiError e = ApiError.unavailable("All targets of model '" + request.model()
          + "' are unavailable (circuit open or cooling down after a rate limit); retry later");
      finishWithError(e, retryAfterSeconds());
      return;
    }
    finishWithError(clientError(attempts.get(attempts.size() - 1), lastError), retryAfterSeconds());
  }

  private long retryAfterSeconds() {
    if (plan.degraded() != null) {
      return Math.max(1, plan.degraded().retryAfter().toSeconds());
    }
    long best = Long.MAX_VALUE;
    for (Candidate c : candidates) {
      Duration d = services.health().cooldowns().remaining(c.target());
      Duration b = services.health().breaker(c.target()).remainingCooldown();
      long s = Math.max(d.toMillis(), b.toMillis());
      best = Math.min(best, (s + 999) / 1000);
    }
    return Math.max(1, best == Long.MAX_VALUE ? 1 : best);
  }

  private static ApiError clientError(UpstreamAttempt a, UpstreamError e) {
    return e.toApiError(a.provider().name());
  }

  private void onDeadline() {
    deadline = null;
    if (done) {
      return;
    }
    cancelLive("deadline");
    long ms = Math.max(0, (System.nanoTime() - ex.startNanos) / 1_000_000);
    finishWithError(new ApiError(504, "timeout_error", "deadline_exceeded", null,
        "No provider answered within the request's deadline (" + ms + " ms)"
            + (lastError == null ? "" : "; last failure: " + lastError.message())), 0);
  }

  private void clientGone() {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    cancelLive("client_gone");
    ex.attempts = List.copyOf(attempts);
    ex.finish(499);
  }

  private void cancelLive(String why) {
    for (UpstreamAttempt a : List.copyOf(live)) {
      a.cancel(why);
      feedback.release(a, TargetFeedback.Signal.IGNORED);
    }
    live.clear();
  }

  private void cancelTimers() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
    cancelTimer(hedgeTimer);
    cancelTimer(retryTimer);
    hedgeTimer = retryTimer = -1;
  }

  private void cancelTimer(long t) {
    if (t >= 0) {
      services.vertx().cancelTimer(t);
    }
  }

  private void finishWithError(ApiError error) {
    finishWithError(error, 0);
  }

  private void finishWithError(ApiError error, long retryAfterSeconds) {
    done = true;
    cancelTimers();
    cancelLive("abandoned");
    ex.attempts = List.copyOf(attempts);
    if (retryAfterSeconds > 0 && !ctx.response().headWritten()) {
      ctx.response().putHeader("retry-after", Long.toString(retryAfterSeconds));
    }
    ex.fail(error);
  }

  private void commit(UpstreamAttempt a) {
    Candidate c = a.candidate();
    ex.provider = c.provider().name();
    ex.targetModel = c.target().model();
    ex.attempts = List.copyOf(attempts);
    ex.served(c.request());
    if (!c.dropped().isEmpty()) {
      ctx.response().putHeader("x-sluice-dropped-params", String.join(",", c.dropped()));
    }
    List<String> adapted = c.adaptedParams();
    if (!adapted.isEmpty()) {
      ctx.response().putHeader("x-sluice-adapted-params", String.join(",", adapted));
    }
    if (request.stream()) {
      new StreamRelay(ctx, ex, front.newStream(c.request()), a, services.metrics(), services.drainOnClientDisconnect(),
          services.health().activity()).start();
      return;
    }
    a.completeWhole();
    ex.addUpstreamNanos(a.latencyNanos());
    services.metrics().tokens(ex.model, ex.provider, a.response().usage());
    if (ctx.response().closed()) {
      ex.finish(499);
      return;
    }
    ex.routingHeaders();
    io.vertx.core.buffer.Buffer body = front.encodeResponse(c.request(), a.response());
    if (ex.bodies != null) {
      ex.bodies.answer(body);
    }
    ctx.response().putHeader(RoutingHeaders.CONTENT_TYPE, RoutingHeaders.APPLICATION_JSON).end(body);
    ex.answered(a.response().body().id());
    ex.finish(200);
  }
}
