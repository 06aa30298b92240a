package dev.sluice.tenancy;

/** Reaches the package-private key digest of client auth for {@code RequestBench} (same package name). */
public final class TenancyBenchAccess {
  private TenancyBenchAccess() {}

  public static String keyDigest(String presented) {
    return ClientAuth.sha256Hex(presented);
  }
}
