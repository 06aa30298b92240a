package dev.sluice.server;

import dev.sluice.tenancy.ClientAuth;
import dev.sluice.tenancy.SecretDigest;

/**
 * Who may scrape {@code /metrics}: anyone while {@code server.metrics_key} is unset; otherwise only a
 * request with {@code Authorization: Bearer} and that key or the master key (Prometheus sends it from
 * a scrape config's {@code authorization:} or {@code bearer_token_file}). Both keys are compared
 * by digest in constant time. Immutable; thread-safe.
 */
final class MetricsAccess {
  private final SecretDigest metricsKey;
  private final ClientAuth auth;

  /**
   * @param metricsKey {@code server.metrics_key}, or null to leave {@code /metrics} open
   * @param auth answers whether a presented key is the master key
   */
  MetricsAccess(String metricsKey, ClientAuth auth) {
    this.metricsKey = SecretDigest.of(metricsKey);
    this.auth = auth;
  }

  /** Whether a request with this {@code Authorization} header (null when absent) may scrape. */
  boolean allows(String authorization) {
    if (metricsKey == null) {
      return true;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    String presented = authorization.substring(7).trim();
    // Both checks always run, so the time taken does not tell which key a guess was closer to.
    boolean metrics = metricsKey.matches(presented);
    boolean master = auth.isMaster(presented);
    return metrics | master;
  }
}
