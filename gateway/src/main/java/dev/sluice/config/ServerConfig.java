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
 * @param clientLimits timeouts, connection caps and input limits for client connections
 * @param metricsKey when set, {@code /metrics} answers only a request carrying it as a bearer
 *     token (or the master key); null leaves {@code /metrics} open
 * @param configWatch {@code config_watch}: reload the config file when it changes (off by default)
 */
public record ServerConfig(String host, int port, String masterKey, long maxBodyBytes, Duration shutdownGrace,
    boolean drainOnClientDisconnect, ClientLimits clientLimits, String metricsKey, boolean configWatch) {

  /** Without file watching. */
  public ServerConfig(String host, int port, String masterKey, long maxBodyBytes, Duration shutdownGrace,
      boolean drainOnClientDisconnect, ClientLimits clientLimits, String metricsKey) {
    this(host, port, masterKey, maxBodyBytes, shutdownGrace, drainOnClientDisconnect, clientLimits, metricsKey, false);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, masterKey, maxBodyBytes, shutdownGrace, drainOnClientDisconnect,
        clientLimits, metricsKey, configWatch);
  }

  public ServerConfig withClientLimits(ClientLimits limits) {
    return new ServerConfig(host, port, masterKey, maxBodyBytes, shutdownGrace, drainOnClientDisconnect, limits,
        metricsKey, configWatch);
  }

  @Override
  public String toString() {
    return "ServerConfig[" + host + ":" + port + ", masterKey=" + (masterKey == null ? "unset" : "set")
        + ", metricsKey=" + (metricsKey == null ? "unset" : "set") + "]";
  }
}
