package dev.sluice.config;

import java.time.Duration;

/**
 * A model entry's response cache ({@code cache:}); null on the entry when caching is off.
 *
 * @param ttl how long an answer is served from the cache; {@code x-sluice-cache-ttl} may only shorten it
 * @param maxEntryBytes an answer larger than this (serialized) is not stored
 * @param maxBytes what the entry's in-process cache holds at most, all answers together
 * @param nondeterministic whether requests sampled with a temperature above 0 (or unset) are cached too
 * @param scope who may be served an answer: {@code key}, {@code team} (default) or {@code global}
 * @param coalesce whether concurrent identical misses wait for one call instead of each calling
 * @param coalesceWait how long a coalesced request waits for the first one's answer before calling on its own
 */
public record CacheConfig(Duration ttl, long maxEntryBytes, long maxBytes, boolean nondeterministic, String scope,
    boolean coalesce, Duration coalesceWait) {
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  public static final long DEFAULT_MAX_ENTRY_BYTES = 1L << 20;
  public static final long DEFAULT_MAX_BYTES = 64L << 20;
  public static final Duration DEFAULT_COALESCE_WAIT = Duration.ofSeconds(30);

  /** The defaults, as {@code cache: {}} gives them. */
  public static CacheConfig defaults() {
    return new CacheConfig(DEFAULT_TTL, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_BYTES, false, "team", false,
        DEFAULT_COALESCE_WAIT);
  }
}
