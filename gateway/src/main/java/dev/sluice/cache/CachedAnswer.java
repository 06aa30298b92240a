package dev.sluice.cache;

import dev.sluice.core.ChatResponse;

/**
 * One stored answer and what the cache must know about it. Immutable.
 *
 * @param key the cache key it was stored under (checked again on every read)
 * @param scope the tenant scope value it belongs to (checked again on every read: an answer is
 *     never served to another scope, whatever the key)
 * @param createdAtMillis when the answer was stored, epoch milliseconds (for {@code age})
 * @param expiresAtMillis when it stops being served, epoch milliseconds
 * @param savedMicros what the call that produced it cost: what each hit saves
 * @param provider the provider that answered
 * @param targetModel the provider's model that answered
 * @param response the canonical answer, renderable by either front door, streamed or whole
 * @param bytes its serialized size (what it weighs in the in-process cache, what Redis stores)
 */
public record CachedAnswer(String key, String scope, long createdAtMillis, long expiresAtMillis, long savedMicros,
    String provider, String targetModel, ChatResponse response, int bytes) {

  /** Whole seconds since it was stored, never negative (the {@code age} header). */
  public long ageSeconds(long nowMillis) {
    return Math.max(0, (nowMillis - createdAtMillis) / 1000);
  }

  /** Whether it may be served at {@code nowMillis} to a request with this key and scope. */
  public boolean servableTo(String wantedKey, String wantedScope, long nowMillis) {
    return key.equals(wantedKey) && scope.equals(wantedScope) && nowMillis < expiresAtMillis;
  }
}
