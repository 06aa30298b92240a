package dev.sluice.upstream;

import java.net.InetAddress;
import java.util.Objects;

/** What the {@link OutboundGuard} decided about one URL: send it to one pinned address, or refuse. */
public sealed interface OutboundDecision permits OutboundDecision.Allowed, OutboundDecision.Refused {

  /**
   * The call may go ahead, to {@code address} and nowhere else (the name is not resolved again).
   *
   * @param trusted the host is in {@code outbound.trusted_hosts}: http and non-public addresses were allowed
   */
  record Allowed(OutboundUrl url, InetAddress address, boolean trusted) implements OutboundDecision {
    public Allowed {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * The call must not be made.
   *
   * @param range the kind of address that was refused; null unless {@code reason} is {@link Reason#ADDRESS}
   * @param message for the operator or admin caller: what was refused and why (never the URL's path or query)
   */
  record Refused(Reason reason, AddressRange range, String message) implements OutboundDecision {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    static Refused because(Reason reason, String message) {
      return new Refused(reason, null, message);
    }
  }

  /** Why a URL was refused. */
  enum Reason {
    /** Not an absolute http(s) URL with a valid host and port. */
    MALFORMED,
    /** Not https, or http to a host that is not trusted. */
    SCHEME,
    /** {@code user@host}: refused so that what a reader takes for the host is the host. */
    USERINFO,
    /** An IPv4 address spelt other than as four decimal numbers ({@code 2130706433}, {@code 0x7f.1}, {@code 127.1}). */
    NON_CANONICAL,
    /** The host is, or resolves to, an address that is not public. */
    ADDRESS,
    /** The name did not resolve. */
    UNRESOLVED
  }
}
