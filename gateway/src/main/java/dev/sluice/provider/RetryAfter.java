package dev.sluice.provider;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Reads how long a provider asked us to wait: {@code retry-after-ms}, {@code Retry-After} (seconds
 * or an HTTP date), then OpenAI's {@code x-ratelimit-reset-requests}/{@code -tokens} ("1s", "6m0s").
 * A wait is never negative and at most {@link #MAX}.
 */
public final class RetryAfter {
  /**
   * The longest wait taken from a provider. Longer (or absurd: {@code retry-after: 1e300}) reads as
   * this: callers add a wait to deadlines in nanoseconds, where a billion years overflows.
   */
  public static final Duration MAX = Duration.ofDays(1);

  private RetryAfter() {}

  /** The wait, or null when the headers say nothing usable. */
  public static Duration parse(MultiMap headers) {
    return bounded(read(headers));
  }

  /** {@code wait} within {@code [0, MAX]}; null stays null. */
  public static Duration bounded(Duration wait) {
    if (wait == null) {
      return null;
    }
    return wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX) > 0 ? MAX : wait;
  }

  private static Duration read(MultiMap headers) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Duration.ofMillis((long) Double.parseDouble(ms.trim()));
      } catch (NumberFormatException ignored) {
        // fall through to the next header
      }
    }
    String ra = headers.get("retry-after");
    if (ra != null) {
      try {
        return Duration.ofMillis((long) (Double.parseDouble(ra.trim()) * 1000));
      } catch (NumberFormatException notSeconds) {
        try {
          ZonedDateTime at = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
          Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
          return d.isNegative() ? Duration.ZERO : d;
        } catch (RuntimeException ignored) {
          // fall through
        }
      }
    }
    Duration requests = goDuration(headers.get("x-ratelimit-reset-requests"));
    Duration tokens = goDuration(headers.get("x-ratelimit-reset-tokens"));
    if (requests == null) {
      return tokens;
    }
    return tokens == null || requests.compareTo(tokens) >= 0 ? requests : tokens;
  }

  /** Parses Go-style durations as OpenAI sends them: "20ms", "1s", "6m0s", "1h2m3.5s". */
  static Duration goDuration(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    double totalMs = 0;
    int i = 0;
    String s = text.trim();
    try {
      while (i < s.length()) {
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        double value = Double.parseDouble(s.substring(start, i));
        int unitStart = i;
        while (i < s.length() && Character.isLetter(s.charAt(i))) {
          i++;
        }
        totalMs += value * switch (s.substring(unitStart, i)) {
          case "ms" -> 1;
          case "s", "" -> 1000;
          case "m" -> 60_000;
          case "h" -> 3_600_000;
          default -> throw new NumberFormatException(s);
        };
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return Duration.ofMillis((long) totalMs);
  }
}
