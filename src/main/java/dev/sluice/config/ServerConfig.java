package dev.sluice.config;

import java.time.Duration;

/**
 * The HTTP front.
 *
 * @param masterKey admin key; also accepted as a client key. Null when not set.
 * @param shutdownGrace how long SIGTERM waits for in-flight requests and streams
 * @param drainOnClientDisconnect when a streaming client hangs up: keep reading the provider's
 *     stream to its final usage (exact billing, the default) instead of cancelling it (cheaper,
 *     usage then estimated from what was relayed)
 */
public record ServerConfig(String host, int port, String masterKey, long maxBodyBytes, Duration shutdownGrace,
    boolean drainOnClientDisconnect) {
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, masterKey, maxBodyBytes, shutdownGrace, drainOnClientDisconnect);
  }

  @Override
  public String toString() {
    return "ServerConfig[" + host + ":" + port + ", masterKey=" + (masterKey == null ? "unset" : "set") + "]";
  }
}
