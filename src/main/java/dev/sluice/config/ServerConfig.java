package dev.sluice.config;

import java.time.Duration;

/**
 * The HTTP front.
 *
 * @param masterKey admin key; also accepted as a client key. Null when not set.
 * @param shutdownGrace how long SIGTERM waits for in-flight requests and streams
 */
public record ServerConfig(String host, int port, String masterKey, long maxBodyBytes, Duration shutdownGrace) {
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, masterKey, maxBodyBytes, shutdownGrace);
  }

  @Override
  public String toString() {
    return "ServerConfig[" + host + ":" + port + ", masterKey=" + (masterKey == null ? "unset" : "set") + "]";
  }
}
