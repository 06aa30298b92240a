package dev.sluice.admission;

import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The {@code x-ratelimit-*} response headers, as OpenAI sends them, for the tightest scope (the one
 * with the least remaining) of each dimension. A dimension no scope limits has no headers.
 */
public record RateLimitHeaders(Optional<Quota> requests, Optional<Quota> tokens) {
  public static final RateLimitHeaders NONE = new RateLimitHeaders(Optional.empty(), Optional.empty());

  /** One dimension of one scope: its limit, what is left now and how long until it is full again. */
  public record Quota(long limit, long remaining, Duration reset) {
    public Quota {
      Objects.requireNonNull(reset, "reset");
    }
  }

  public RateLimitHeaders {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(tokens, "tokens");
  }

  // Pre-hashed: these go on every limited answer, and a String name is hashed again by every header map.
  private static final AsciiString LIMIT_REQUESTS = AsciiString.cached("x-ratelimit-limit-requests");
  private static final AsciiString REMAINING_REQUESTS = AsciiString.cached("x-ratelimit-remaining-requests");
  private static final AsciiString RESET_REQUESTS = AsciiString.cached("x-ratelimit-reset-requests");
  private static final AsciiString LIMIT_TOKENS = AsciiString.cached("x-ratelimit-limit-tokens");
  private static final AsciiString REMAINING_TOKENS = AsciiString.cached("x-ratelimit-remaining-tokens");
  private static final AsciiString RESET_TOKENS = AsciiString.cached("x-ratelimit-reset-tokens");

  /** Each header, name and value, in a stable order (requests, then tokens); none when nothing is limited. */
  public void writeTo(BiConsumer<CharSequence, CharSequence> out) {
    requests.ifPresent(q -> write(out, LIMIT_REQUESTS, REMAINING_REQUESTS, RESET_REQUESTS, q));
    tokens.ifPresent(q -> write(out, LIMIT_TOKENS, REMAINING_TOKENS, RESET_TOKENS, q));
  }

  /** Header name to value, in {@link #writeTo}'s order; empty when nothing is limited. */
  public Map<String, String> toMap() {
    Map<String, String> out = new LinkedHashMap<>();
    writeTo((name, value) -> out.put(name.toString(), value.toString()));
    return out;
  }

  private static void write(BiConsumer<CharSequence, CharSequence> out, AsciiString limit, AsciiString remaining,
      AsciiString reset, Quota q) {
    out.accept(limit, Long.toString(q.limit()));
    out.accept(remaining, Long.toString(Math.max(0, q.remaining())));
    out.accept(reset, formatReset(q.reset()));
  }

  /**
   * Formats a reset time the way OpenAI does (Go's duration syntax): {@code 20ms}, {@code 1s},
   * {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}. Rounded up to the millisecond, so a client that
   * waits exactly this long is not refused again for a rounding error.
   */
  public static String formatReset(Duration d) {
    long ms = ceilMillis(d);
    if (ms <= 0) {
      return "0s";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    long h = ms / 3_600_000;
    long m = ms / 60_000 % 60;
    long s = ms / 1000 % 60;
    long frac = ms % 1000;
    StringBuilder sb = new StringBuilder();
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    sb.append(s);
    if (frac > 0) {
      // three digits without trailing zeros (no String.format and regex per response)
      sb.append('.').append((char) ('0' + frac / 100));
      if (frac % 100 > 0) {
        sb.append((char) ('0' + frac / 10 % 10));
        if (frac % 10 > 0) {
          sb.append((char) ('0' + frac % 10));
        }
      }
    }
    return sb.append('s').toString();
  }

  private static long ceilMillis(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return 0;
    }
    long ms = d.toMillis();
    return d.minusMillis(ms).isZero() ? ms : ms + 1;
  }
}
