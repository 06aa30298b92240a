package dev.sluice.admission;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link RateLimiter#reserve}: admitted with a {@link Reservation}, or refused with
 * the scope and limit that refused and when to retry. A decision value, never an exception.
 * Immutable (the reservation it carries is a thread-safe handle).
 */
public final class Admission {

  /** What happened. */
  public enum Verdict {
    /** Every scope was charged; settle the reservation. */
    ADMITTED,
    /** A limit is used up for now; it frees after {@link #retryAfter()}. HTTP 429. */
    LIMITED,
    /** The request alone needs more tokens than a scope's tpm: waiting never helps. HTTP 429. */
    TOO_LARGE,
    /** The shared limiter cannot be reached and the failure mode is fail-closed. HTTP 503. */
    UNAVAILABLE
  }

  private final Verdict verdict;
  private final Reservation reservation;
  private final Scope scope;
  private final LimitKind kind;
  private final Duration retryAfter;
  private final RateLimitHeaders headers;
  private final String reason;

  private Admission(Verdict verdict, Reservation reservation, Scope scope, LimitKind kind,
      Duration retryAfter, RateLimitHeaders headers, String reason) {
    this.verdict = verdict;
    this.reservation = reservation;
    this.scope = scope;
    this.kind = kind;
    this.retryAfter = retryAfter;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.reason = reason;
  }

  public static Admission admitted(Reservation reservation, RateLimitHeaders headers) {
    return new Admission(Verdict.ADMITTED, Objects.requireNonNull(reservation, "reservation"), null, null,
        Duration.ZERO, headers, "admitted");
  }

  public static Admission limited(Scope scope, LimitKind kind, Duration retryAfter, RateLimitHeaders headers) {
    return new Admission(Verdict.LIMITED, null, Objects.requireNonNull(scope), Objects.requireNonNull(kind),
        positive(retryAfter), headers, "rate limit reached for " + kind.wireName() + " on " + scope);
  }

  public static Admission tooLarge(Scope scope, long requested, long tpm, RateLimitHeaders headers) {
    return new Admission(Verdict.TOO_LARGE, null, Objects.requireNonNull(scope), LimitKind.TOKENS,
        Duration.ZERO, headers, "request too large for " + scope + ": needs " + requested
            + " tokens, the limit is " + tpm + " per minute");
  }

  public static Admission unavailable(Duration retryAfter) {
    return new Admission(Verdict.UNAVAILABLE, null, null, null, positive(retryAfter), RateLimitHeaders.NONE,
        "rate limiter unavailable");
  }

  private static Duration positive(Duration d) {
    return d == null || d.isNegative() ? Duration.ZERO : d;
  }

  public Verdict verdict() {
    return verdict;
  }

  public boolean admitted() {
    return verdict == Verdict.ADMITTED;
  }

  /** The reservation to settle; only for an admitted request. */
  public Reservation reservation() {
    if (reservation == null) {
      throw new IllegalStateException("not admitted: " + reason);
    }
    return reservation;
  }

  /** The scope that refused (LIMITED, TOO_LARGE). */
  public Optional<Scope> scope() {
    return Optional.ofNullable(scope);
  }

  /** The limit that refused (LIMITED, TOO_LARGE). */
  public Optional<LimitKind> kind() {
    return Optional.ofNullable(kind);
  }

  /** How long until the refusing limit frees; zero when admitted or when waiting cannot help. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public RateLimitHeaders headers() {
    return headers;
  }

  /** A sentence for the error body. */
  public String reason() {
    return reason;
  }

  /** 200, 429 (limited or too large) or 503 (limiter unavailable, fail-closed). */
  public int httpStatus() {
    return switch (verdict) {
      case ADMITTED -> 200;
      case LIMITED, TOO_LARGE -> 429;
      case UNAVAILABLE -> 503;
    };
  }

  @Override
  public String toString() {
    return verdict + (admitted() ? "" : " (" + reason + ", retry after " + retryAfter + ")");
  }
}
