package dev.sluice.pipeline;

import dev.sluice.provider.RetryAfter;
import io.vertx.core.MultiMap;
import java.time.Duration;

/**
 * Reads the rate-limit headroom providers report on every answer ({@code x-ratelimit-remaining-*}
 * with {@code x-ratelimit-reset-*}, as OpenAI and most compatibles send, and Anthropic's
 * {@code anthropic-ratelimit-*-remaining}).
 */
final class ProviderHeadroom {
  private ProviderHeadroom() {}

  /** How long the target has nothing left, or null when it has headroom (or did not say). */
  static Duration exhaustedFor(MultiMap h) {
    if (isZero(h.get("x-ratelimit-remaining-requests")) || isZero(h.get("x-ratelimit-remaining-tokens"))
        || isZero(h.get("anthropic-ratelimit-requests-remaining"))
        || isZero(h.get("anthropic-ratelimit-tokens-remaining"))) {
      Duration d = RetryAfter.parse(h);
      return d == null || d.isZero() ? Duration.ofSeconds(1) : d;
    }
    return null;
  }

  private static boolean isZero(String v) {
    return v != null && v.trim().equals("0");
  }
}
