package dev.sluice.admission;

import io.vertx.core.Future;
import java.util.List;

/**
 * Reserve-then-settle rate limiting over several scopes at once (DESIGN.md §4.6).
 *
 * <p>{@link #reserve} is all-or-nothing: if any listed scope would exceed its rpm (by one
 * request), tpm (by {@code estimatedTokens}) or concurrency (by one in flight), nothing is charged
 * anywhere and the {@link Admission} names the scope and the limit; otherwise every scope is
 * charged and the admission carries a {@link Reservation} to settle with the real usage.
 *
 * <p>Implementations are thread-safe, never block the calling thread (it may be an event loop)
 * and never fail the returned future for a refusal: refusals are values.
 */
public interface RateLimiter {

  Future<Admission> reserve(List<ScopedLimit> limits, long estimatedTokens);
}
