package dev.sluice.upstream;

/**
 * Strict parsing of IP address literals in URL hosts. IPv4 has exactly one accepted spelling, four
 * decimal numbers 0-255 without leading zeros ({@code 127.0.0.1}); the forms resolvers and browsers
 * also accept ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1}) are refused, not
 * normalised: one spelling per address leaves nothing for a filter and a resolver to disagree on.
 * IPv6 is RFC 4291 text (with an optional dotted IPv4 tail), without zone ids. Stateless.
 */
final class AddressLiterals {
  private AddressLiterals() {}

  /**
   * Whether a host is an IPv4 literal in the WHATWG URL sense: its last label is a number (decimal,
   * or {@code 0x} hex). Such a host is never sent to DNS: it must be canonical dotted-quad, or it is
   * refused.
   */
  static boolean looksLikeIpv4(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (last.startsWith("0x") || last.startsWith("0X")) {
      return last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
    return last.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The four bytes of a canonical dotted-quad ({@code 10.0.0.5}), or null for any other text. */
  static byte[] canonicalIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  /**
   * The sixteen bytes of an IPv6 literal (without brackets): eight groups of one to four hex digits,
   * one {@code ::} at most, optionally ending in a canonical dotted IPv4; null for anything else
   * (zone ids such as {@code %eth0} included).
   */
  static byte[] ipv6(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      return null;
    }
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] out = new byte[16];
    if (gap < 0) {
      return fill(text, out, 16, true) == 16 ? out : null;
    }
    String head = text.substring(0, gap);
    String tail = text.substring(gap + 2);
    byte[] back = new byte[16];
    int headLen = head.isEmpty() ? 0 : fill(head, out, 14, false);
    int tailLen = tail.isEmpty() ? 0 : fill(tail, back, 14, true);
    if (headLen < 0 || tailLen < 0 || headLen + tailLen > 14) {
      return null; // "::" stands for at least one group
    }
    System.arraycopy(back, 0, out, 16 - tailLen, tailLen);
    return out;
  }

  /**
   * Writes the groups of {@code text} into {@code out}; the bytes written, or -1. A dotted IPv4 is
   * allowed as the last group only where it ends the whole address ({@code v4Tail}).
   */
  private static int fill(String text, byte[] out, int max, boolean v4Tail) {
    String[] groups = text.split(":", -1);
    int n = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (v4Tail && i == groups.length - 1 && g.contains(".")) {
        byte[] v4 = canonicalIpv4(g);
        if (v4 == null || n + 4 > max) {
          return -1;
        }
        System.arraycopy(v4, 0, out, n, 4);
        n += 4;
        continue;
      }
      if (g.isEmpty() || g.length() > 4 || g.contains(".") || n + 2 > max) {
        return -1;
      }
      int v = Integer.parseInt(g, 16);
      out[n++] = (byte) (v >>> 8);
      out[n++] = (byte) v;
    }
    return n;
  }
}
