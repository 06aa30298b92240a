package dev.sluice.core;

import java.time.Duration;

/**
 * Time limits of one upstream call.
 *
 * @param connect establishing the TCP (and TLS) connection
 * @param firstToken from sending the request to the first body slice: the first streamed token,
 *     or for a non-streamed call the whole answer (upstreams send nothing before it is ready)
 * @param idle the longest silence between two body slices after the first
 * @param total the whole call, body included
 */
public record UpstreamTimeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
  /** These timeouts with every non-null field of {@code override} taking precedence. */
  public UpstreamTimeouts overriddenBy(UpstreamTimeouts override) {
    if (override == null) {
      return this;
    }
    return new UpstreamTimeouts(pick(override.connect, connect), pick(override.firstToken, firstToken),
        pick(override.idle, idle), pick(override.total, total));
  }

  /** These timeouts with {@code total} shortened to {@code remaining} (a request deadline). */
  public UpstreamTimeouts capTotal(Duration remaining) {
    return remaining.compareTo(total) >= 0 ? this : new UpstreamTimeouts(connect, firstToken, idle, remaining);
  }

  private static Duration pick(Duration preferred, Duration fallback) {
    return preferred != null ? preferred : fallback;
  }

  public static final UpstreamTimeouts DEFAULTS =
      new UpstreamTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofMinutes(10));
}
