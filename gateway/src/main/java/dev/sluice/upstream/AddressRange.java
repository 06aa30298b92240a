package dev.sluice.upstream;

/**
 * Which kind of address an outbound call would reach. Only {@link #PUBLIC} may be called without
 * the operator vouching for the host ({@code outbound.trusted_hosts}).
 */
public enum AddressRange {
  PUBLIC("public"),
  /** 0.0.0.0/8, {@code ::}: "this host" — many stacks connect to the loopback interface. */
  UNSPECIFIED("unspecified"),
  /** 127.0.0.0/8, {@code ::1}. */
  LOOPBACK("loopback"),
  /** 10/8, 172.16/12, 192.168/16, fc00::/7 (unique local), fec0::/10 (site-local), 64:ff9b:1::/48. */
  PRIVATE("private"),
  /** 169.254/16 (cloud metadata lives here), fe80::/10. */
  LINK_LOCAL("link-local"),
  /** 100.64/10, carrier-grade NAT: inside a provider's network. */
  CGNAT("carrier-grade NAT"),
  /** 224/4, ff00::/8. */
  MULTICAST("multicast"),
  /** 255.255.255.255. */
  BROADCAST("broadcast"),
  /**
   * Documentation (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20), benchmarking
   * (198.18/15, 2001:2::/48), IETF assignments (192.0.0/24), the old 6to4 relay (192.88.99/24),
   * 240/4, discard-only 100::/64, ORCHID, and IPv6 outside 2000::/3.
   */
  RESERVED("reserved");

  private final String label;

  AddressRange(String label) {
    this.label = label;
  }

  /** How a refusal names it: "a loopback address". */
  public String label() {
    return label;
  }
}
