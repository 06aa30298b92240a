package dev.sluice.observe.requestlog;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one key's or team's bodies are kept in the request log: every match of each pattern becomes
 * {@value #MASK}, then the text is cut to {@code maxBytes} of UTF-8. Redaction always runs before
 * the cut, on everything that could be kept. Immutable; thread-safe.
 *
 * <p>Work is bounded by the size kept, not by the body's size: only the first {@link #windowBytes()}
 * bytes of a body are looked at. When a body was longer than that window, the last
 * {@value #EDGE_GUARD} characters of the redacted window are dropped too, so a secret the window's
 * end cut in half (too short to match any more) is never kept.
 */
public final class BodyPolicy {
  public static final String MASK = "[REDACTED]";
  /** Bytes read beyond {@code maxBytes}, so a match that starts before the cut is still whole. */
  static final int WINDOW_SLACK = 8 * 1024;
  /** Characters never kept at the end of a window that cut its body: a partial match may hide there. */
  static final int EDGE_GUARD = 4 * 1024;

  private final List<Pattern> redact;
  private final int maxBytes;

  public BodyPolicy(List<Pattern> redact, int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.redact = List.copyOf(Objects.requireNonNull(redact, "redact"));
    this.maxBytes = maxBytes;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** How many bytes of a body are captured to be redacted and cut. */
  int windowBytes() {
    return (int) Math.min(Integer.MAX_VALUE - 8, (long) maxBytes + WINDOW_SLACK);
  }

  /**
   * What is stored of {@code window}, the start of a body ({@code windowCut}: the body went on).
   * The result is redacted and at most {@code maxBytes} of UTF-8.
   */
  Kept keep(String window, boolean windowCut) {
    String text = window;
    for (Pattern p : redact) {
      Matcher m = p.matcher(text);
      if (m.find()) {
        text = m.replaceAll(Matcher.quoteReplacement(MASK));
      }
    }
    boolean truncated = windowCut;
    if (windowCut) {
      text = text.substring(0, safeCut(text, Math.max(0, text.length() - EDGE_GUARD)));
    }
    int end = utf8Prefix(text, maxBytes);
    if (end < text.length()) {
      text = text.substring(0, end);
      truncated = true;
    }
    return new Kept(text, truncated);
  }

  /** A stored text and whether anything was cut from the body. */
  record Kept(String text, boolean truncated) {}

  /** The length of the longest prefix of {@code s} that is at most {@code maxBytes} in UTF-8, never splitting a character. */
  static int utf8Prefix(String s, int maxBytes) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int n;
      if (c < 0x80) {
        n = 1;
      } else if (c < 0x800) {
        n = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        if (bytes + 4 > maxBytes) {
          return i;
        }
        bytes += 4;
        i++;
        continue;
      } else {
        n = 3;
      }
      if (bytes + n > maxBytes) {
        return i;
      }
      bytes += n;
    }
    return s.length();
  }

  /** {@code at}, moved back one if it would split a surrogate pair. */
  private static int safeCut(String s, int at) {
    return at > 0 && at < s.length() && Character.isLowSurrogate(s.charAt(at)) ? at - 1 : at;
  }
}
