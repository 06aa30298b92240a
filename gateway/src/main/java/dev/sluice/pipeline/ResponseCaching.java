package dev.sluice.pipeline;

import dev.sluice.billing.Accountant;
import dev.sluice.cache.CacheKeys;
import dev.sluice.cache.CachePolicy;
import dev.sluice.cache.Cacheability;
import dev.sluice.cache.CachedAnswer;
import dev.sluice.cache.Coalescer;
import dev.sluice.cache.ResponseCache;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.store.RowKind;
import dev.sluice.tenancy.Principal;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The response cache on the request path: decides per request whether to look, store, or stay away
 * (entry policy, temperature, {@code Cache-Control}, {@code x-sluice-cache-ttl}), serves hits, fills
 * the cache from answers that ended well, and writes each hit's ledger row (cost 0, what it saved).
 * Thread-safe; each request's state is its {@link CacheLookup}.
 */
final class ResponseCaching {
  static final String STATUS_HEADER = "x-sluice-cache";
  static final String TTL_HEADER = "x-sluice-cache-ttl";

  final ResponseCache cache;
  final Coalescer coalescer;
  final Accountant accountant;
  private final Map<String, CachePolicy> policies;
  private final Map<String, String> fingerprints;
  private final LedgerWriter ledger;
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder bypasses = new LongAdder();
  final LongAdder refreshes = new LongAdder();

  ResponseCaching(ResponseCache cache, Coalescer coalescer, Map<String, CachePolicy> policies,
      Map<String, String> fingerprints, LedgerWriter ledger, Accountant accountant) {
    this.cache = cache;
    this.coalescer = coalescer;
    this.policies = Map.copyOf(policies);
    this.fingerprints = Map.copyOf(fingerprints);
    this.ledger = ledger;
    this.accountant = accountant;
  }

  /**
   * Starts the cache's part of a request (after auth and the model permission check). Null when a
   * cache header was bad: the 400 has been written.
   */
  CacheLookup lookup(RoutingContext ctx, Exchange ex, ChatRequest request, Principal who) {
    CachePolicy policy = policies.get(request.model());
    if (policy == null) {
      return CacheLookup.OFF;
    }
    String control = ctx.request().getHeader("cache-control");
    boolean noStore = directive(control, "no-store");
    boolean noCache = directive(control, "no-cache");
    long ttlMillis = policy.ttl().toMillis();
    String ttlHeader = ctx.request().getHeader(TTL_HEADER);
    if (ttlHeader != null) {
      long seconds;
      try {
        seconds = Long.parseLong(ttlHeader.trim());
      } catch (NumberFormatException e) {
        seconds = -1;
      }
      if (seconds <= 0) {
        ex.fail(ApiError.invalidRequest(TTL_HEADER, "Header " + TTL_HEADER
            + " must be a positive whole number of seconds, got '" + ttlHeader + "'"));
        return null;
      }
      ttlMillis = Math.min(ttlMillis, Math.multiplyExact(Math.min(seconds, Long.MAX_VALUE / 1000), 1000L));
    }
    if (noStore || !Cacheability.requestCacheable(request, policy)) {
      bypasses.increment();
      ctx.response().putHeader(STATUS_HEADER, "bypass");
      return CacheLookup.OFF;
    }
    String scope = policy.scope().valueFor(who.keyId() != null ? who.keyId() : who.name(), who.team());
    String key = CacheKeys.key(request, fingerprints.get(request.model()), scope);
    return new CacheLookup(this, ctx, ex, request, who, policy, key, scope, ttlMillis, noCache);
  }

  /** Whether a {@code Cache-Control} value holds {@code directive} (case-insensitive, comma-separated). */
  static boolean directive(String control, String directive) {
    if (control == null) {
      return false;
    }
    for (String part : control.split(",")) {
      String d = part.trim().toLowerCase(Locale.ROOT);
      int eq = d.indexOf('=');
      if ((eq < 0 ? d : d.substring(0, eq).trim()).equals(directive)) {
        return true;
      }
    }
    return false;
  }

  /** The ledger row of a hit: kind cache_hit, cost 0, what the stored answer's call cost as saved. */
  void recordHit(Exchange ex, Principal who, String entry, CachedAnswer hit, long startedAtMillis) {
    long ms = Math.max(0, (System.nanoTime() - ex.startNanos) / 1_000_000);
    ledger.offer(LedgerRow.builder(ex.requestId, 1, Instant.now())
        .key(who.name(), who.keyId(), who.team())
        .target(entry, hit.provider(), hit.targetModel())
        .status(200)
        .outcome(Outcome.OK)
        .cost(0, true, false)
        .latency(ms, ex.stream ? ms : null)
        .stream(ex.stream)
        .startedAt(Instant.ofEpochMilli(startedAtMillis))
        .kind(RowKind.CACHE_HIT)
        .saved(hit.savedMicros())
        .build());
  }

  /** What the attempt that answered cost, micro-USD: what every hit on its answer saves. */
  long answerCost(UpstreamAttempt answered, long inputEstimate) {
    return accountant.totalMicros(List.of(answered), inputEstimate);
  }
}
