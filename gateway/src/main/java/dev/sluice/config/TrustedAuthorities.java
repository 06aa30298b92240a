package dev.sluice.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * Checks a provider's {@code ca_file} when the config is loaded, so that a missing or unreadable file
 * is a config problem that names it (and a reload with it changes nothing), not a TLS failure on the
 * first request.
 */
final class TrustedAuthorities {
  private TrustedAuthorities() {}

  /** What is wrong with {@code caFile} for a provider at {@code baseUrl}, or null when nothing is. */
  static String problem(String caFile, String baseUrl) {
    if (baseUrl == null || !baseUrl.regionMatches(true, 0, "https://", 0, 8)) {
      return "is only used with an https:// base_url";
    }
    Path path = Path.of(caFile);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      return "'" + caFile + "' is not a readable file";
    }
    try (InputStream in = Files.newInputStream(path)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        return "'" + caFile + "' holds no PEM certificate";
      }
      return null;
    } catch (CertificateException | IOException e) {
      return "'" + caFile + "' holds no readable PEM certificate";
    }
  }
}
