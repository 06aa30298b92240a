package dev.sluice.config;

import java.util.List;

/**
 * Where the gateway may send requests whose URL did not come from this config file (budget alert
 * webhooks set through the admin API, and any such URL added later).
 *
 * @param trustedHosts host names or literal addresses (optionally {@code host:port}) the operator
 *     vouches for: they may use plain {@code http://} and may resolve to private or loopback
 *     addresses. Every other host must be {@code https://} and resolve to a public address.
 */
public record OutboundConfig(List<String> trustedHosts) {
  public static final OutboundConfig DEFAULTS = new OutboundConfig(List.of());

  public OutboundConfig {
    trustedHosts = List.copyOf(trustedHosts);
  }
}
