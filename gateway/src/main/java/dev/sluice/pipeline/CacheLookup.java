package dev.sluice.pipeline;

import dev.sluice.cache.CachePolicy;
import dev.sluice.cache.Cacheability;
import dev.sluice.cache.CachedAnswer;
import dev.sluice.cache.Coalescer;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.tenancy.Principal;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * One request's use of the response cache. The look-up starts at once (in process, then coalescing,
 * then Redis) and runs alongside admission; once admitted, a hit is served ({@link #serveHit}) or the
 * execution gets a front door that keeps the answer ({@link #front}), stored when the request ends
 * well. A coalescing leader always lands when its request ends, stored answer or not. Lives on the
 * request's event loop.
 */
final class CacheLookup {
  /** A request the cache has nothing to do with. */
  static final CacheLookup OFF = new CacheLookup();

  private final ResponseCaching caching;
  private final RoutingContext ctx;
  private final Exchange ex;
  /**
   * The model asked for (the cache's namespace). The request itself is not kept: this look-up lives
   * as long as the exchange, and a stream's prompt must not (see {@link Execution#forgetRequest}).
   */
  private final String model;
  private final Principal who;
  private final CachePolicy policy;
  private final String key;
  private final String scope;
  private final long ttlMillis;
  private final long startedAtMillis = System.currentTimeMillis();
  private Future<CachedAnswer> found;
  private Coalescer.Seat seat;
  private boolean served;
  private boolean landed;

  private CacheLookup() {
    caching = null;
    ctx = null;
    ex = null;
    model = null;
    who = null;
    policy = null;
    key = null;
    scope = null;
    ttlMillis = 0;
  }

  CacheLookup(ResponseCaching caching, RoutingContext ctx, Exchange ex, ChatRequest request, Principal who,
      CachePolicy policy, String key, String scope, long ttlMillis, boolean refresh) {
    this.caching = caching;
    this.ctx = ctx;
    this.ex = ex;
    this.model = request.model();
    this.who = who;
    this.policy = policy;
    this.key = key;
    this.scope = scope;
    this.ttlMillis = ttlMillis;
    if (refresh) {
      caching.refreshes.increment();
      ctx.response().putHeader(ResponseCaching.STATUS_HEADER, "refresh");
      found = Future.succeededFuture(null);
    } else {
      CachedAnswer local = caching.cache.getLocal(model, key, scope);
      if (local != null) {
        found = Future.succeededFuture(local);
      } else {
        if (policy.coalesce()) {
          seat = caching.coalescer.join(key, policy.coalesceWait());
          if (!seat.leads()) {
            found = seat.answer(); // the leader's answer, or null: go on alone
          }
        }
        if (found == null) {
          found = caching.cache.getShared(model, key, scope);
          if (seat != null) {
            found.onSuccess(shared -> {
              if (shared != null) {
                caching.coalescer.land(key, seat, shared);
              }
            });
          }
        }
      }
      found.onSuccess(a -> {
        if (a == null) {
          caching.misses.increment();
          if (!ctx.response().headWritten()) {
            ctx.response().putHeader(ResponseCaching.STATUS_HEADER, "miss");
          }
        }
      });
    }
    ex.onFinish(this::finished);
  }

  /** {@code next}, completing only once the look-up has too (whatever either's outcome). */
  <T> Future<T> alongside(Future<T> next) {
    if (found == null || found.isComplete()) {
      return next;
    }
    return Future.join(found, next).transform(ar -> next);
  }

  /** Serves the cached answer to {@code request} if there is one; false when it must be executed. */
  boolean serveHit(FrontDoor front, ChatRequest request) {
    if (found == null || !found.succeeded() || found.result() == null) {
      return false;
    }
    CachedAnswer hit = found.result();
    served = true;
    caching.hits.increment();
    ctx.response().putHeader(ResponseCaching.STATUS_HEADER, "hit")
        .putHeader("age", Long.toString(hit.ageSeconds(caching.cache.nowMillis())));
    if (!ctx.response().closed()) {
      caching.recordHit(ex, who, model, hit, startedAtMillis);
    }
    CachedReplay.write(ctx, ex, front, request, hit);
    return true;
  }

  /** The front door the execution writes through: one that stores the answer, when it may be stored. */
  FrontDoor front(FrontDoor front) {
    if (this == OFF || served) {
      return front;
    }
    return new CacheFillFront(front, policy.maxEntryBytes(), this::answered);
  }

  /**
   * The answer is about to be written (whole, or the end of a complete stream): store it if it came
   * from a provider (not a degraded answer) and was not refused or filtered, and let any followers go.
   */
  private void answered(ChatResponse answer) {
    if (landed) {
      return;
    }
    CachedAnswer stored = null;
    UpstreamAttempt answered = ex.provider == null ? null : answered();
    if (answered != null && Cacheability.answerCacheable(answer)) {
      stored = caching.cache.put(model, key, scope, ttlMillis, policy.maxEntryBytes(),
          caching.answerCost(answered, ex.inputEstimate), answered.providerName(), answered.target().model(), answer);
    }
    land(stored);
  }

  /** The request ended: a leader that stored nothing lets its followers go on alone. */
  private void finished() {
    land(null);
  }

  private void land(CachedAnswer stored) {
    if (!landed) {
      landed = true;
      if (seat != null) {
        caching.coalescer.land(key, seat, stored);
      }
    }
  }

  /** The attempt whose answer the client got (the committed one); null when none answered. */
  private UpstreamAttempt answered() {
    for (UpstreamAttempt a : ex.attempts) {
      if ("ok".equals(a.outcome()) && a.providerName().equals(ex.provider)
          && a.target().model().equals(ex.targetModel)) {
        return a;
      }
    }
    return null;
  }
}
