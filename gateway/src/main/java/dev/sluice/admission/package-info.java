/**
 * Flow control in front of the upstream call (DESIGN.md §1): who may go now, who waits, who is
 * turned away.
 *
 * <ul>
 *   <li>{@link dev.sluice.admission.RateLimiter}: rpm / tpm / concurrency per scope (key, team,
 *       model, target), reserve-then-settle, all-or-nothing across scopes —
 *       {@link dev.sluice.admission.LocalRateLimiter} in process,
 *       {@link dev.sluice.admission.RedisRateLimiter} shared by replicas, with a
 *       {@link dev.sluice.admission.FailureMode} for when Redis is away.
 *   <li>{@link dev.sluice.admission.TokenEstimator}: the token estimate to reserve.
 *   <li>{@link dev.sluice.admission.AdmissionQueue}: waits instead of failing, by priority and
 *       fair between tenants, shedding at once what cannot be served in time;
 *       {@link dev.sluice.admission.InFlightGuard}: the process-wide cap.
 *   <li>{@link dev.sluice.admission.AdaptiveLimit}: a concurrency limit per target that follows
 *       the target's health.
 * </ul>
 *
 * <p>Depends on {@code dev.sluice.core} only (plus Vert.x, its Redis client and jtokkit).
 */
package dev.sluice.admission;
