package dev.sluice.upstream;

import dev.sluice.upstream.OutboundDecision.Allowed;
import dev.sluice.upstream.OutboundDecision.Reason;
import dev.sluice.upstream.OutboundDecision.Refused;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The one check every outbound URL that did not come from the config file passes (budget alert
 * webhooks set through the admin API, and any such URL added later), against server-side request
 * forgery:
 *
 * <ul>
 *   <li>the URL parses strictly ({@link OutboundUrl}): no user info, one spelling per IPv4 address
 *       (non-canonical forms such as {@code 2130706433}, {@code 0177.0.0.1}, {@code 127.1} are refused,
 *       not normalised), bracketed IPv6 without zone id;
 *   <li>{@code https} only — {@code http} just for a host in {@code outbound.trusted_hosts};
 *   <li>a name is resolved once; every address it answers must be public ({@link AddressRange}),
 *       and the call is pinned to the first (no second lookup for a rebinding DNS to answer
 *       differently);
 *   <li>a trusted host (as written in the URL) may use http and any address: the operator vouches
 *       for it.
 * </ul>
 *
 * <p>Redirects are the caller's to refuse ({@link OutboundClient} never follows them). Thread-safe;
 * never blocks (the resolver runs the lookup off the event loop).
 */
public final class OutboundGuard {
  private static final String ONLY_PUBLIC = "; only public addresses, or hosts listed in outbound.trusted_hosts, are allowed";

  private final TrustedHosts trusted;
  private final OutboundResolver resolver;

  /**
   * @param trustedHosts {@code outbound.trusted_hosts}; {@link IllegalArgumentException} for an entry
   *     that is not {@code host}, {@code host:port} or {@code [IPv6]:port}
   */
  public OutboundGuard(List<String> trustedHosts, OutboundResolver resolver) {
    this.trusted = new TrustedHosts(trustedHosts);
    this.resolver = resolver;
  }

  /**
   * What can be decided without DNS, for checking a URL when it is stored: its syntax, its scheme,
   * and a literal address. Empty when it may be stored; a name is checked again, resolved, each time
   * the URL is used, since what it resolves to can change.
   */
  public Optional<Refused> screen(String url) {
    try {
      OutboundUrl u = OutboundUrl.parse(url);
      boolean trust = trusted.trusts(u);
      Refused r = refusedScheme(u, trust);
      if (r == null && u.literal() != null && !trust) {
        r = refusedAddress(u, u.literal(), null);
      }
      return Optional.ofNullable(r);
    } catch (OutboundUrl.Unacceptable e) {
      return Optional.of(e.refused);
    }
  }

  /**
   * The decision for one call: parses, resolves the name once (never for a literal), classifies
   * every address. The future never fails: a lookup that fails is a refusal ({@link Reason#UNRESOLVED}).
   */
  public Future<OutboundDecision> decide(String url) {
    OutboundUrl u;
    try {
      u = OutboundUrl.parse(url);
    } catch (OutboundUrl.Unacceptable e) {
      return Future.succeededFuture(e.refused);
    }
    boolean trust = trusted.trusts(u);
    Refused scheme = refusedScheme(u, trust);
    if (scheme != null) {
      return Future.succeededFuture(scheme);
    }
    if (u.literal() != null) {
      return Future.succeededFuture(pick(u, List.of(u.literal()), trust, null));
    }
    Future<List<InetAddress>> lookup;
    try {
      lookup = resolver.resolve(u.host());
    } catch (RuntimeException e) {
      lookup = Future.failedFuture(e);
    }
    return lookup.<OutboundDecision>map(addresses -> pick(u, addresses, trust, u.host()))
        .otherwise(e -> Refused.because(Reason.UNRESOLVED, u.host() + " does not resolve ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")"));
  }

  private static OutboundDecision pick(OutboundUrl u, List<InetAddress> addresses, boolean trust, String name) {
    if (addresses == null || addresses.isEmpty()) {
      return Refused.because(Reason.UNRESOLVED, name + " resolves to no address");
    }
    if (!trust) {
      for (InetAddress a : addresses) {
        Refused r = refusedAddress(u, a, name);
        if (r != null) {
          return r;
        }
      }
    }
    return new Allowed(u, addresses.get(0), trust);
  }

  private static Refused refusedScheme(OutboundUrl u, boolean trust) {
    if (u.tls() || trust) {
      return null;
    }
    return Refused.because(Reason.SCHEME, "http:// is allowed only to hosts listed in outbound.trusted_hosts ("
        + u.authority() + " is not); use https://");
  }

  /** Null when {@code a} is public; a refusal naming its range otherwise. */
  private static Refused refusedAddress(OutboundUrl u, InetAddress a, String name) {
    byte[] bytes = a.getAddress();
    AddressRange range = AddressClassifier.classify(bytes);
    if (range == AddressRange.PUBLIC) {
      return null;
    }
    String what = name == null ? "the address " + u.host() : name + " resolves to " + a.getHostAddress() + ", which";
    byte[] inner = AddressClassifier.embeddedIpv4(bytes);
    String via = inner == null ? "" : " (it carries the IPv4 address " + text(inner) + ")";
    return new Refused(Reason.ADDRESS, range, what + " is " + article(range) + " " + range.label() + " address" + via
        + ONLY_PUBLIC);
  }

  private static String article(AddressRange r) {
    return r == AddressRange.UNSPECIFIED ? "an" : "a";
  }

  private static String text(byte[] v4) {
    return (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
  }

  @Override
  public String toString() {
    return "OutboundGuard[trusted " + trusted + "]";
  }
}
