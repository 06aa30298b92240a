/**
 * The response cache: exact-match answers keyed by a SHA-256 of the canonical request and the
 * tenant scope, held in process (Caffeine, bounded by bytes) and, with Redis, shared by replicas;
 * the rules of what may be cached, the accumulation of a streamed answer into a whole one, its
 * replay as chunks, and the coalescing of concurrent identical misses. Depends on {@code core} only:
 * the pipeline wires it into the request path.
 */
package dev.sluice.cache;
