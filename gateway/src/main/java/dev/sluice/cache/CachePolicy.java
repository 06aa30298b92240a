package dev.sluice.cache;

import java.time.Duration;

/**
 * One model entry's response-cache settings (the pipeline builds it from the entry's {@code cache:}).
 *
 * @param ttl the longest an answer is served; a client's {@code x-sluice-cache-ttl} only shortens it
 * @param maxEntryBytes a serialized answer above this is not stored
 * @param maxBytes the entry's in-process cache holds at most this many bytes of answers
 * @param nondeterministic cache requests sampled with a temperature above 0 (or left to the provider's default) too
 * @param coalesce concurrent identical misses wait for the first one's answer
 * @param coalesceWait the longest such a follower waits before calling on its own
 */
public record CachePolicy(Duration ttl, long maxEntryBytes, long maxBytes, boolean nondeterministic, CacheScope scope,
    boolean coalesce, Duration coalesceWait) {}
