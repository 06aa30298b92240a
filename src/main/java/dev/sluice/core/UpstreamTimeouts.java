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
  public static final UpstreamTimeouts DEFAULTS =
      new UpstreamTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofMinutes(10));
}
