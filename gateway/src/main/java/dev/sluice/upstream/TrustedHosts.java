package dev.sluice.upstream;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hosts of {@code outbound.trusted_hosts}: {@code name}, {@code name:port}, {@code 10.0.0.5},
 * {@code 10.0.0.5:8080}, {@code ::1}, {@code [::1]} or {@code [::1]:8080}. A URL is trusted when its
 * host, as written, is one of them (names case-insensitively, addresses by value) and, for an entry
 * with a port, its port is that one. Trust is by name, never by what a name resolves to. Immutable.
 */
final class TrustedHosts {
  private record Entry(String name, byte[] address, int port) {}

  private final List<Entry> entries;

  TrustedHosts(List<String> specs) {
    List<Entry> out = new ArrayList<>();
    for (String spec : specs) {
      out.add(entry(spec));
    }
    this.entries = List.copyOf(out);
  }

  boolean trusts(OutboundUrl url) {
    byte[] literal = url.literal() == null ? null : url.literal().getAddress();
    for (Entry e : entries) {
      boolean sameHost = e.address() != null ? literal != null && Arrays.equals(e.address(), literal)
          : literal == null && e.name().equals(url.host());
      if (sameHost && (e.port() == 0 || e.port() == url.port())) {
        return true;
      }
    }
    return false;
  }

  /** Parses one entry; {@link IllegalArgumentException} naming it when it is none of the accepted forms. */
  private static Entry entry(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    if (s.isEmpty() || s.chars().anyMatch(c -> c == '/' || c == '?' || c == '#' || c == '@')) {
      throw bad(spec); // a URL, or a host with a path: only the host (and port) is matched
    }
    String host = s;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
        throw bad(spec);
      }
      host = s.substring(1, close);
      port = close + 1 < s.length() ? s.substring(close + 2) : null;
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      host = s.substring(0, s.indexOf(':'));
      port = s.substring(s.indexOf(':') + 1);
    }
    int p = 0;
    if (port != null) {
      p = port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : 0;
      if (p < 1 || p > 65535) {
        throw bad(spec);
      }
    }
    try {
      OutboundUrl u = OutboundUrl.parse("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + "/");
      return new Entry(u.host(), u.literal() == null ? null : u.literal().getAddress(), p);
    } catch (OutboundUrl.Unacceptable e) {
      throw bad(spec);
    }
  }

  private static IllegalArgumentException bad(String spec) {
    return new IllegalArgumentException("outbound.trusted_hosts: '" + spec + "' is not a host, host:port, or"
        + " [IPv6]:port (names in letters, digits, '-' and '.'; IPv4 as four decimal numbers)");
  }

  @Override
  public String toString() {
    return entries.stream().map(e -> (e.address() == null ? e.name() : addressText(e.address()))
        + (e.port() == 0 ? "" : ":" + e.port())).toList().toString();
  }

  private static String addressText(byte[] a) {
    try {
      return InetAddress.getByAddress(a).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return "?";
    }
  }
}
