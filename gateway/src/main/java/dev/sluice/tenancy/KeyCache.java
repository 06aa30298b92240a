package dev.sluice.tenancy;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.sluice.core.Ticker;
import dev.sluice.store.KeyRepository;
import dev.sluice.store.StoredKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored client keys by the SHA-256 of the presented key, in front of {@link KeyRepository}: the
 * request path never waits on the database for a key it has seen. A miss asks the store once
 * (concurrent requests for the same key share the one lookup); a found key is kept for
 * {@link Options#positiveTtl} (10 minutes by default), an unknown one for the much shorter
 * {@link Options#negativeTtl} (5 s), so a client retrying a wrong key cannot drive a query per
 * request. A lookup that fails (store down) is not kept: the next request asks again. At most
 * {@link Options#maxConcurrentLoads} lookups run at once; beyond that an uncached key is answered
 * {@link AuthResult#BUSY} at once, so a flood of random keys cannot queue up work on the store.
 *
 * <p>Revocation and expiry are checked on every hit against the wall clock, so a key stops working
 * at its {@code expires_at} even while cached. A change made through the admin API (revoke, update)
 * {@link #invalidate}s the entry at once; other replicas hear of it through Redis (see
 * {@link KeyInvalidation}) or, without Redis, within the positive TTL.
 *
 * <p>Threading: thread-safe. {@link #lookup} may be called on any event loop; its future completes
 * on the caller's context (for a hit, it is already complete and allocates nothing).
 */
final class KeyCache {
  private static final Logger LOG = LoggerFactory.getLogger(KeyCache.class);

  /**
   * @param positiveTtl how long a found key (usable or not) is kept
   * @param negativeTtl how long "no such key" is kept
   * @param maxEntries bound on cached keys, found and unknown together
   * @param maxConcurrentLoads bound on store lookups in flight
   */
  record Options(Duration positiveTtl, Duration negativeTtl, long maxEntries, int maxConcurrentLoads) {
    static final Options DEFAULTS = new Options(Duration.ofMinutes(10), Duration.ofSeconds(5), 100_000, 256);
  }

  private final KeyRepository repository;
  private final Clock clock;
  private final int maxConcurrentLoads;
  private final AsyncCache<String, Entry> cache;
  private final AtomicInteger loading = new AtomicInteger();
  final LongAdder hits = new LongAdder();
  final LongAdder found = new LongAdder();
  final LongAdder unknown = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder busy = new LongAdder();

  /**
   * @param ticker measures the TTLs (monotonic)
   * @param clock the wall clock that revocation and expiry times are compared with
   */
  KeyCache(KeyRepository repository, Options options, Ticker ticker, Clock clock) {
    this.repository = repository;
    this.clock = clock;
    this.maxConcurrentLoads = options.maxConcurrentLoads();
    long positive = options.positiveTtl().toNanos();
    long negative = options.negativeTtl().toNanos();
    this.cache = Caffeine.newBuilder()
        .maximumSize(options.maxEntries())
        .ticker(ticker::nanos)
        .executor(Runnable::run) // maintenance is tiny; no hop to the common pool
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry value, long currentTime) {
            return value.ok == null ? negative : positive;
          }

          @Override
          public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
          }

          @Override
          public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .buildAsync();
  }

  /** Checks a key by its lower-case hex SHA-256. Never fails: refusals are results. */
  Future<AuthResult> lookup(String keyHash) {
    CompletableFuture<Entry> cached = cache.getIfPresent(keyHash);
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
      hits.increment();
      return cached.getNow(null).result(clock.millis()).future();
    }
    if (cached == null && loading.get() >= maxConcurrentLoads) {
      busy.increment();
      return AuthResult.BUSY.future();
    }
    CompletableFuture<Entry> pending = cached != null ? cached : cache.get(keyHash, (hash, executor) -> load(hash));
    Context context = Vertx.currentContext();
    Promise<AuthResult> promise = Promise.promise();
    pending.whenComplete((entry, error) -> {
      if (context == null || Vertx.currentContext() == context) {
        complete(promise, entry, error);
      } else {
        context.runOnContext(v -> complete(promise, entry, error));
      }
    });
    return promise.future();
  }

  private void complete(Promise<AuthResult> promise, Entry entry, Throwable error) {
    promise.complete(error != null || entry == null ? AuthResult.UNAVAILABLE : entry.result(clock.millis()));
  }

  private CompletableFuture<Entry> load(String keyHash) {
    loading.incrementAndGet();
    Future<Optional<StoredKey>> f;
    try {
      f = repository.findByHash(keyHash);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.map(found -> found.map(this::known).orElseGet(() -> {
      unknown.increment();
      return Entry.UNKNOWN;
    })).onComplete(ar -> {
      loading.decrementAndGet();
      if (ar.failed()) {
        failed.increment();
        LOG.warn("Could not look up a client key in the store: {}", ar.cause().toString());
      }
    }).toCompletionStage().toCompletableFuture();
  }

  private Entry known(StoredKey k) {
    found.increment();
    return new Entry(AuthResult.accepted(StoredPrincipals.of(k)),
        k.revokedAt() == null ? Long.MAX_VALUE : k.revokedAt().toEpochMilli(),
        k.expiresAt() == null ? Long.MAX_VALUE : k.expiresAt().toEpochMilli());
  }

  /** Forgets one key (found or unknown), and any lookup of it in flight. */
  void invalidate(String keyHash) {
    cache.synchronous().invalidate(keyHash);
  }

  /** Forgets every key (after missing invalidations, e.g. while Redis was unreachable). */
  void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  /** Cached entries, found and unknown (approximate). */
  long size() {
    return cache.synchronous().estimatedSize();
  }

  /** A cached lookup: a known key with its revocation and expiry instants, or "no such key". */
  private static final class Entry {
    static final Entry UNKNOWN = new Entry(null, 0, 0);

    final AuthResult ok;
    final long revokedAtMillis;
    final long expiresAtMillis;

    Entry(AuthResult ok, long revokedAtMillis, long expiresAtMillis) {
      this.ok = ok;
      this.revokedAtMillis = revokedAtMillis;
      this.expiresAtMillis = expiresAtMillis;
    }

    /** Same rule as {@link StoredKey#usableAt}: usable strictly before revocation and expiry. */
    AuthResult result(long nowMillis) {
      if (ok == null) {
        return AuthResult.UNKNOWN;
      }
      if (nowMillis >= revokedAtMillis) {
        return AuthResult.REVOKED;
      }
      if (nowMillis >= expiresAtMillis) {
        return AuthResult.EXPIRED;
      }
      return ok;
    }
  }
}
