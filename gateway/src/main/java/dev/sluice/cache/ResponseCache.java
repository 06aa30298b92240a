package dev.sluice.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Ticker;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stored answers per model entry: an in-process tier (Caffeine, bounded by the entry's
 * {@code max_bytes}, each answer expiring at its own time) and, when Redis is configured, a shared
 * tier every replica reads and writes. A read looks in process first, then in Redis (an answer found
 * there is kept in process for the rest of its time). Every answer read is checked against the key
 * and scope asked for and its expiry before it is served.
 *
 * <p>Time comes from the injected {@link Ticker} (Caffeine's expiry and the answers' wall-clock
 * stamps both), so tests move it instead of sleeping. Thread-safe; never blocks.
 */
public final class ResponseCache {
  private final Map<String, Cache<String, CachedAnswer>> local = new HashMap<>();
  private final SharedTier shared;
  private final Ticker ticker;
  private final long originNanos;
  private final long originMillis;
  private final LongAdder sharedErrors = new LongAdder();

  /**
   * @param policies the policy of every model entry that caches, by entry name
   * @param redis the gateway's pooled Redis client, or null for an in-process cache only
   */
  public ResponseCache(Map<String, CachePolicy> policies, Ticker ticker, Redis redis) {
    this.ticker = ticker;
    this.originNanos = ticker.nanos();
    this.originMillis = System.currentTimeMillis();
    this.shared = redis == null ? null : new SharedTier(redis, 250);
    // Caffeine gets time since start: a ticker's origin may be anywhere (a fake one near overflow).
    com.github.benmanes.caffeine.cache.Ticker elapsed = () -> ticker.nanos() - originNanos;
    policies.forEach((entry, p) -> local.put(entry, Caffeine.newBuilder()
        .maximumWeight(p.maxBytes())
        .weigher((String k, CachedAnswer a) -> a.bytes())
        .expireAfter(new Expiry<String, CachedAnswer>() {
          @Override
          public long expireAfterCreate(String k, CachedAnswer a, long now) {
            return remainingNanos(a);
          }

          @Override
          public long expireAfterUpdate(String k, CachedAnswer a, long now, long current) {
            return remainingNanos(a);
          }

          @Override
          public long expireAfterRead(String k, CachedAnswer a, long now, long current) {
            return current;
          }
        })
        .ticker(elapsed)
        .executor(Runnable::run) // maintenance inline: bounded work, and deterministic under a fake ticker
        .build()));
  }

  /** Wall-clock epoch milliseconds, as this cache's ticker moves them. */
  public long nowMillis() {
    return originMillis + (ticker.nanos() - originNanos) / 1_000_000;
  }

  private long remainingNanos(CachedAnswer a) {
    return Math.max(0, TimeUnit.MILLISECONDS.toNanos(a.expiresAtMillis() - nowMillis()));
  }

  /** Whether {@code entry} caches at all. */
  public boolean caches(String entry) {
    return local.containsKey(entry);
  }

  /** The in-process answer for this key and scope, or null. */
  public CachedAnswer getLocal(String entry, String key, String scope) {
    Cache<String, CachedAnswer> c = local.get(entry);
    CachedAnswer a = c == null ? null : c.getIfPresent(key);
    return a != null && a.servableTo(key, scope, nowMillis()) ? a : null;
  }

  /** The shared answer for this key and scope (then also kept in process), or null; never fails. */
  public Future<CachedAnswer> getShared(String entry, String key, String scope) {
    if (shared == null || !local.containsKey(entry)) {
      return Future.succeededFuture(null);
    }
    return shared.get(key).map(bytes -> {
      if (bytes == null) {
        return null;
      }
      CachedAnswer a;
      try {
        a = AnswerCodec.decode(bytes);
      } catch (RuntimeException unreadable) {
        sharedErrors.increment();
        return null; // written by another version, or damaged: a miss, and the next store replaces it
      }
      if (!a.servableTo(key, scope, nowMillis())) {
        return null;
      }
      local.get(entry).put(key, a);
      return a;
    });
  }

  /**
   * Stores an answer for {@code ttlMillis} from now, in process and in Redis. Returns the stored
   * answer, or null when it is larger than {@code maxEntryBytes} (then nothing is stored).
   */
  public CachedAnswer put(String entry, String key, String scope, long ttlMillis, long maxEntryBytes, long savedMicros,
      String provider, String targetModel, ChatResponse response) {
    Cache<String, CachedAnswer> c = local.get(entry);
    if (c == null) {
      return null;
    }
    long now = nowMillis();
    byte[] bytes = AnswerCodec.encode(key, scope, now, now + ttlMillis, savedMicros, provider, targetModel, response);
    if (bytes.length > maxEntryBytes) {
      return null;
    }
    CachedAnswer a = new CachedAnswer(key, scope, now, now + ttlMillis, savedMicros, provider, targetModel, response,
        bytes.length);
    c.put(key, a);
    if (shared != null) {
      shared.put(key, bytes, ttlMillis).onSuccess(ok -> {
        if (!ok) {
          sharedErrors.increment();
        }
      });
    }
    return a;
  }

  /** Bytes of answers held in process, all entries together. */
  public long bytes() {
    long total = 0;
    for (Cache<String, CachedAnswer> c : local.values()) {
      total += c.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
    return total;
  }

  /** Answers held in process, all entries together (expired ones may count until cleaned up). */
  public long entries() {
    long total = 0;
    for (Cache<String, CachedAnswer> c : local.values()) {
      total += c.estimatedSize();
    }
    return total;
  }

  /** Redis reads of unreadable answers and stores Redis did not take. */
  public long sharedErrors() {
    return sharedErrors.sum();
  }
}
