package dev.sluice.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs in messages and logs without what authenticates them: a URL can carry a password
 * ({@code postgresql://user:pass@host}, {@code redis://:pass@host}), a key in its query
 * ({@code ?key=…}), or be a secret as a whole (a chat webhook). Stateless. Nothing here uses
 * {@code java.net}: these run on event loops, where the tests' blocked-thread watch reads a
 * {@code java.net} frame as blocking I/O.
 */
public final class Urls {
  private static final Pattern USER_INFO = Pattern.compile("(://[^/@?#]*?:)[^/@?#]*@");
  private static final Pattern USER_INFO_WHOLE = Pattern.compile("://([^/@?#]*)@");
  private static final Pattern QUERY_VALUE = Pattern.compile("([?&][^=&#]*=)([^&#]*)");
  /** Scheme, user info (left out), host and port. */
  private static final Pattern ORIGIN = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://)(?:[^/?#@]*@)?([^/?#@\\s]*)");

  private Urls() {}

  /** The URL with its password and every query value replaced by {@code ***}; works on malformed URLs too. */
  public static String redacted(String url) {
    if (url == null) {
      return null;
    }
    String out = USER_INFO.matcher(url).replaceFirst("$1***@");
    return QUERY_VALUE.matcher(out).replaceAll("$1***");
  }

  /** Only {@code scheme://host[:port]}: for a URL whose path may itself be the secret. */
  public static String origin(String url) {
    Matcher m = url == null ? null : ORIGIN.matcher(url);
    return m != null && m.lookingAt() && !m.group(2).isEmpty() ? m.group(1) + m.group(2) : "(a malformed URL)";
  }

  /** {@code application/x-www-form-urlencoded}, as {@link java.net.URLEncoder} writes it. */
  public static String formEncode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '*'
          || c == '_') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** {@code %XX} escapes decoded (UTF-8); a malformed escape is kept as written. {@code +} stays {@code +}. */
  static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      int hi = text.charAt(i) == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (lo >= 0) {
        bytes.write(hi << 4 | lo);
        i += 3;
      } else {
        int cp = text.codePointAt(i);
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The password of the URL's user info and the values of its query: what {@link #redacted} hides. */
  public static List<String> secretsOf(String url) {
    List<String> out = new ArrayList<>();
    if (url == null) {
      return out;
    }
    Matcher info = USER_INFO_WHOLE.matcher(url);
    if (info.find()) {
      String userInfo = info.group(1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        String password = userInfo.substring(colon + 1);
        out.add(password);
        out.add(percentDecode(password));
      }
    }
    Matcher q = QUERY_VALUE.matcher(url);
    while (q.find()) {
      out.add(q.group(2));
    }
    return out;
  }
}
