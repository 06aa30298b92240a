package dev.sluice.pipeline;

import dev.sluice.provider.RetryAfter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.time.Duration;

/**
 * Reads the rate-limit headroom providers report on every answer ({@code x-ratelimit-remaining-*}
 * with {@code x-ratelimit-reset-*}, as OpenAI and most compatibles send, and Anthropic's
 * {@code anthropic-ratelimit-*-remaining}).
 */
final class ProviderHeadroom {
  // Looked up in every answer (16 lookups when it carries none of them): pre-hashed (AsciiString), so a
  // lookup does not hash a String name again (~1 % of a request's CPU in a warm profile,
  // bench/results/hotspots.md; bench/throughput/HeaderNameCost.java).
  private static final Quota OPENAI_REQUESTS = new Quota("x-ratelimit-limit-requests",
      "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests");
  private static final Quota OPENAI_TOKENS = new Quota("x-ratelimit-limit-tokens",
      "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
  private static final Quota ANTHROPIC_REQUESTS = new Quota("anthropic-ratelimit-requests-limit",
      "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset");
  private static final Quota ANTHROPIC_TOKENS = new Quota("anthropic-ratelimit-tokens-limit",
      "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset");

  /** The three header names of one quota. */
  private record Quota(CharSequence limit, CharSequence remaining, CharSequence reset) {
    Quota(String limit, String remaining, String reset) {
      this(HttpHeaders.createOptimized(limit), HttpHeaders.createOptimized(remaining),
          HttpHeaders.createOptimized(reset));
    }
  }

  private ProviderHeadroom() {}

  /** How long the target has nothing left, or null when it has headroom (or did not say). */
  static Duration exhaustedFor(MultiMap h) {
    if (isZero(h.get(OPENAI_REQUESTS.remaining())) || isZero(h.get(OPENAI_TOKENS.remaining()))
        || isZero(h.get(ANTHROPIC_REQUESTS.remaining())) || isZero(h.get(ANTHROPIC_TOKENS.remaining()))) {
      Duration d = RetryAfter.parse(h);
      return d == null || d.isZero() ? Duration.ofSeconds(1) : d;
    }
    return null;
  }

  /**
   * The rate-limit headroom {@code h} reports (OpenAI's {@code x-ratelimit-*-requests|tokens}, else
   * Anthropic's {@code anthropic-ratelimit-requests|tokens-*}), stamped {@code now}; null when it has
   * none of those headers. Numbers that do not parse are left out; reset values are kept as sent
   * (OpenAI: a duration such as {@code 6m0s}; Anthropic: an RFC 3339 instant), trimmed to a safe length.
   */
  static TargetReport.SeenHeadroom seen(MultiMap h, java.time.Instant now) {
    TargetReport.SeenQuota requests = quota(h, OPENAI_REQUESTS);
    TargetReport.SeenQuota tokens = quota(h, OPENAI_TOKENS);
    if (requests == null) {
      requests = quota(h, ANTHROPIC_REQUESTS);
    }
    if (tokens == null) {
      tokens = quota(h, ANTHROPIC_TOKENS);
    }
    return requests == null && tokens == null ? null : new TargetReport.SeenHeadroom(requests, tokens, now);
  }

  private static TargetReport.SeenQuota quota(MultiMap h, Quota names) {
    Long l = number(h.get(names.limit()));
    Long r = number(h.get(names.remaining()));
    String when = token(h.get(names.reset()));
    return l == null && r == null && when == null ? null : new TargetReport.SeenQuota(l, r, when);
  }

  private static Long number(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A reset value as sent, if it looks like one (digits, letters, {@code :.+-}; at most 40 characters). */
  private static String token(String v) {
    if (v == null) {
      return null;
    }
    String t = v.trim();
    return !t.isEmpty() && t.length() <= 40 && t.chars().allMatch(c -> c < 128
        && (Character.isLetterOrDigit(c) || c == ':' || c == '.' || c == '+' || c == '-')) ? t : null;
  }

  private static boolean isZero(String v) {
    return v != null && v.trim().equals("0");
  }
}
