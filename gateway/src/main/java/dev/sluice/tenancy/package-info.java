/**
 * Who is calling and what they may do: client-key authentication ({@code ClientAuth}), the cache of
 * stored keys and its invalidation across replicas, the {@code Principal} a key resolves to (team,
 * limits, budget, allowed models, priority) and the stored key policy.
 *
 * <p>May use core, config, store and observe (lookup counters). Must not use the pipeline, billing
 * or server: they use it (billing charges a principal; the pipeline admits one).
 */
package dev.sluice.tenancy;
