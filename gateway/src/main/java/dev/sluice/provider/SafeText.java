package dev.sluice.provider;

import java.util.regex.Pattern;

/**
 * Makes provider error text safe to pass on: credentials that providers echo back (OpenAI quotes a
 * masked key in its 401 text, Google sometimes the key itself) are redacted, and length is capped.
 * Runs only on error paths, never per chunk.
 */
public final class SafeText {
  private static final Pattern SECRETS = Pattern.compile(
      "(sk-[A-Za-z0-9_\\-*]{6,}|AIza[0-9A-Za-z_\\-]{10,}|[A-Za-z0-9_\\-]{40,}|Bearer\\s+\\S+)");
  private static final int MAX = 600;

  private SafeText() {}

  public static String scrub(String text) {
    if (text == null) {
      return "";
    }
    String cut = text.length() > MAX ? text.substring(0, MAX) + "…" : text;
    return SECRETS.matcher(cut).replaceAll("[redacted]");
  }
}
