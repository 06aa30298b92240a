package dev.sluice.upstream;

import dev.sluice.upstream.OutboundDecision.Reason;
import dev.sluice.upstream.OutboundDecision.Refused;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An outbound URL as the guard understood it, parsed strictly: {@code http} or {@code https}; no
 * user info; a host that is a DNS name (ASCII letters, digits, {@code -} and {@code _} in dot-separated
 * labels, no trailing dot), a canonical dotted-quad IPv4, or a bracketed IPv6 without zone id; a port
 * 1-65535 when given. The fragment is dropped (it is never sent); what follows {@code #} or {@code ?}
 * never changes the host.
 *
 * @param scheme {@code http} or {@code https}, lower case
 * @param host the name in lower case, or the literal address as written (IPv6 without brackets):
 *     what the Host header and TLS (SNI, certificate check) use
 * @param literal the address when the host is a literal, else null (a name: resolved by the guard)
 * @param port the port given, or 443 / 80
 * @param authority the Host header: the host (bracketed for IPv6) and the port when one was given
 * @param pathAndQuery what the request line carries: the raw path ({@code /} when empty) and query
 */
public record OutboundUrl(String scheme, String host, InetAddress literal, int port, String authority,
    String pathAndQuery) {
  private static final Pattern HOST_CHARS = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_-]{1,63}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  public boolean tls() {
    return scheme.equals("https");
  }

  /** {@code scheme://authority}: what logs and refusals show (a path or query may carry a secret token). */
  public String origin() {
    return scheme + "://" + authority;
  }

  @Override
  public String toString() {
    return origin();
  }

  /** A URL the guard refuses by its text alone. */
  static final class Unacceptable extends Exception {
    final Refused refused;

    Unacceptable(Reason reason, String message) {
      super(message, null, false, false);
      this.refused = Refused.because(reason, message);
    }
  }

  static OutboundUrl parse(String text) throws Unacceptable {
    if (text == null || text.isEmpty()) {
      throw new Unacceptable(Reason.MALFORMED, "the URL is empty");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        throw new Unacceptable(Reason.MALFORMED,
            "the URL contains whitespace, a control or non-ASCII character, or a backslash");
      }
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new Unacceptable(Reason.MALFORMED, "not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new Unacceptable(scheme == null ? Reason.MALFORMED : Reason.SCHEME,
          scheme == null ? "not an absolute URL (https://host/...)" : "only https:// URLs are allowed, not " + scheme + ":");
    }
    String auth = uri.getRawAuthority();
    if (uri.isOpaque() || auth == null || auth.isEmpty()) {
      throw new Unacceptable(Reason.MALFORMED, "the URL has no host (" + scheme + "://host/...)");
    }
    if (auth.indexOf('@') >= 0) {
      throw new Unacceptable(Reason.USERINFO, "user info (user@host) is not allowed in the URL");
    }
    String hostText;
    String portText = null;
    if (auth.startsWith("[")) {
      int close = auth.indexOf(']');
      if (close < 0 || (close + 1 < auth.length() && auth.charAt(close + 1) != ':')) {
        throw new Unacceptable(Reason.MALFORMED, "a bracketed IPv6 host must end with ']' and may be followed by :port");
      }
      hostText = auth.substring(1, close);
      portText = close + 1 < auth.length() ? auth.substring(close + 2) : null;
    } else {
      int colon = auth.indexOf(':');
      if (colon >= 0 && auth.indexOf(':', colon + 1) >= 0) {
        throw new Unacceptable(Reason.MALFORMED, "an IPv6 host must be in brackets: https://[2001:db8::1]/");
      }
      hostText = colon < 0 ? auth : auth.substring(0, colon);
      portText = colon < 0 ? null : auth.substring(colon + 1);
    }
    int port = port(portText, scheme);
    String pathAndQuery = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String authority = (auth.startsWith("[") ? "[" + hostText.toLowerCase(Locale.ROOT) + "]"
        : hostText.toLowerCase(Locale.ROOT)) + (portText == null ? "" : ":" + port);
    if (auth.startsWith("[")) {
      byte[] v6 = AddressLiterals.ipv6(hostText);
      if (v6 == null) {
        throw new Unacceptable(Reason.MALFORMED, "'[" + hostText + "]' is not an IPv6 address (zone ids are not allowed)");
      }
      return new OutboundUrl(scheme, hostText.toLowerCase(Locale.ROOT), address(v6), port, authority, pathAndQuery);
    }
    String host = hostText.toLowerCase(Locale.ROOT);
    if (host.isEmpty()) {
      throw new Unacceptable(Reason.MALFORMED, "the URL has no host (" + scheme + "://host/...)");
    }
    if (!HOST_CHARS.matcher(host).matches()) {
      throw new Unacceptable(Reason.MALFORMED, "'" + host + "' is not a valid host name (letters, digits, '-' and"
          + " '_' in dot-separated labels; IDNs in their xn-- form)");
    }
    if (AddressLiterals.looksLikeIpv4(host)) {
      byte[] v4 = AddressLiterals.canonicalIpv4(host);
      if (v4 == null) {
        throw new Unacceptable(Reason.NON_CANONICAL, "'" + host + "' is not a canonical IPv4 address: write it as"
            + " four decimal numbers 0-255 without leading zeros (e.g. 192.0.2.10)");
      }
      return new OutboundUrl(scheme, host, address(v4), port, authority, pathAndQuery);
    }
    if (host.length() > 253) {
      throw new Unacceptable(Reason.MALFORMED, "the host name is longer than 253 characters");
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new Unacceptable(Reason.MALFORMED, "'" + host + "' is not a valid host name (letters, digits, '-' and"
            + " '_' in dot-separated labels of 1-63; no trailing dot; IDNs in their xn-- form)");
      }
    }
    return new OutboundUrl(scheme, host, null, port, authority, pathAndQuery);
  }

  private static int port(String text, String scheme) throws Unacceptable {
    if (text == null) {
      return scheme.equals("https") ? 443 : 80;
    }
    int p = PORT.matcher(text).matches() ? Integer.parseInt(text) : 0;
    if (p < 1 || p > 65535) {
      throw new Unacceptable(Reason.MALFORMED, "the port must be a number 1-65535, not '" + text + "'");
    }
    return p;
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only for a length other than 4 or 16
    }
  }
}
