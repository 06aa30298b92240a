package dev.sluice.upstream;

/**
 * Which {@link AddressRange} an address (its raw 4 or 16 bytes) falls in. An IPv6 address that
 * carries an IPv4 one — IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-translated {@code ::ffff:0:a.b.c.d},
 * IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo
 * {@code 2001::/32} (the client's address, stored inverted) — is classified by the IPv4 address it
 * reaches, since stacks and gateways route it there. IPv6 outside 2000::/3 (global unicast) and the
 * special ranges above is reserved. Stateless.
 */
final class AddressClassifier {
  private AddressClassifier() {}

  static AddressRange classify(byte[] address) {
    if (address.length == 4) {
      return ipv4(address);
    }
    if (address.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }
    return ipv6(address);
  }

  /** The IPv4 address an IPv6 one carries (see the class comment), or null when it carries none. */
  static byte[] embeddedIpv4(byte[] a) {
    if (a.length != 16) {
      return null;
    }
    if (zeros(a, 0, 10) && u8(a, 10) == 0xff && u8(a, 11) == 0xff) {
      return slice(a, 12, false); // ::ffff:a.b.c.d
    }
    if (zeros(a, 0, 8) && u8(a, 8) == 0xff && u8(a, 9) == 0xff && zeros(a, 10, 12)) {
      return slice(a, 12, false); // ::ffff:0:a.b.c.d
    }
    if (zeros(a, 0, 12) && !(zeros(a, 12, 15) && u8(a, 15) <= 1)) {
      return slice(a, 12, false); // ::a.b.c.d (not :: or ::1)
    }
    if (u16(a, 0) == 0x0064 && u16(a, 2) == 0xff9b && zeros(a, 4, 12)) {
      return slice(a, 12, false); // NAT64 well-known prefix
    }
    if (u16(a, 0) == 0x2002) {
      return slice(a, 2, false); // 6to4
    }
    if (u16(a, 0) == 0x2001 && u16(a, 2) == 0x0000) {
      return slice(a, 12, true); // Teredo: the client's address, every bit inverted
    }
    return null;
  }

  private static AddressRange ipv4(byte[] a) {
    int b0 = u8(a, 0);
    int b1 = u8(a, 1);
    int b2 = u8(a, 2);
    if (b0 == 255 && b1 == 255 && b2 == 255 && u8(a, 3) == 255) {
      return AddressRange.BROADCAST;
    }
    if (b0 == 0) {
      return AddressRange.UNSPECIFIED;
    }
    if (b0 == 127) {
      return AddressRange.LOOPBACK;
    }
    if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
      return AddressRange.PRIVATE;
    }
    if (b0 == 169 && b1 == 254) {
      return AddressRange.LINK_LOCAL;
    }
    if (b0 == 100 && (b1 & 0xc0) == 64) {
      return AddressRange.CGNAT;
    }
    if ((b0 & 0xf0) == 224) {
      return AddressRange.MULTICAST;
    }
    if ((b0 & 0xf0) == 240
        || (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2))
        || (b0 == 192 && b1 == 88 && b2 == 99)
        || (b0 == 198 && (b1 & 0xfe) == 18)
        || (b0 == 198 && b1 == 51 && b2 == 100)
        || (b0 == 203 && b1 == 0 && b2 == 113)) {
      return AddressRange.RESERVED;
    }
    return AddressRange.PUBLIC;
  }

  private static AddressRange ipv6(byte[] a) {
    if (zeros(a, 0, 16)) {
      return AddressRange.UNSPECIFIED;
    }
    if (zeros(a, 0, 15) && u8(a, 15) == 1) {
      return AddressRange.LOOPBACK;
    }
    byte[] v4 = embeddedIpv4(a);
    if (v4 != null) {
      return ipv4(v4);
    }
    int g0 = u16(a, 0);
    int g1 = u16(a, 2);
    if ((g0 & 0xff00) == 0xff00) {
      return AddressRange.MULTICAST;
    }
    if ((g0 & 0xffc0) == 0xfe80) {
      return AddressRange.LINK_LOCAL;
    }
    if ((g0 & 0xfe00) == 0xfc00 || (g0 & 0xffc0) == 0xfec0 || (g0 == 0x0064 && g1 == 0xff9b && u16(a, 4) == 1)) {
      return AddressRange.PRIVATE;
    }
    if ((g0 & 0xe000) != 0x2000
        || (g0 == 0x2001 && g1 == 0x0db8)
        || (g0 == 0x2001 && g1 == 0x0002 && u16(a, 4) == 0)
        || (g0 == 0x2001 && (g1 & 0xfff0) == 0x0010)
        || (g0 == 0x2001 && (g1 & 0xfff0) == 0x0020)
        || (g0 == 0x3fff && (g1 & 0xf000) == 0)) {
      return AddressRange.RESERVED; // 100::/64 is outside 2000::/3 too
    }
    return AddressRange.PUBLIC;
  }

  private static byte[] slice(byte[] a, int from, boolean inverted) {
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      out[i] = (byte) (inverted ? ~a[from + i] : a[from + i]);
    }
    return out;
  }

  private static boolean zeros(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] a, int i) {
    return a[i] & 0xff;
  }

  private static int u16(byte[] a, int i) {
    return (u8(a, i) << 8) | u8(a, i + 1);
  }
}
