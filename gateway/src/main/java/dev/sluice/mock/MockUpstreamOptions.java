package dev.sluice.mock;

import io.vertx.core.net.KeyCertOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable start-up options of a {@link MockUpstream}, created with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code host}: interface to bind, default {@code 127.0.0.1};
 *   <li>{@code port}: TCP port, default {@code 0} (an ephemeral port, see {@link
 *       MockUpstream#port()});
 *   <li>{@code defaultFault}: fault spec applied when a request names none, default {@code ""};
 *   <li>{@code requiredKey}: if set, requests must present this API key; default {@code null};
 *   <li>{@code seed}: seed of the random source behind jitter and error_rate; {@code null} means
 *       a random seed;
 *   <li>{@code tls}: the server's key and certificate; when set the mock speaks HTTPS and offers
 *       HTTP/2 and HTTP/1.1 by ALPN, as the hosted providers do; default {@code null} (plain HTTP/1.1);
 *   <li>{@code eventLoops}: event loops serving connections (one server each on the same port), 1 to
 *       64, above 1 only with a fixed port; default 1.
 * </ul>
 *
 * <p>{@link Builder#build()} validates everything, so a bad default fault spec fails at
 * configuration time rather than on every request.
 */
public final class MockUpstreamOptions {

  private final String host;
  private final int port;
  private final String defaultFault;
  private final FaultSpec defaultFaultSpec;
  private final String requiredKey;
  private final Long seed;
  private final KeyCertOptions tls;
  private final int eventLoops;

  private MockUpstreamOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.defaultFault = b.defaultFault;
    this.defaultFaultSpec = FaultSpec.parse(b.defaultFault);
    this.requiredKey = b.requiredKey;
    this.seed = b.seed;
    this.tls = b.tls;
    this.eventLoops = b.eventLoops;
  }

  /** A builder with all defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Options with all defaults: loopback, ephemeral port, no faults, no key, random seed. */
  public static MockUpstreamOptions defaults() {
    return builder().build();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The default fault spec as given. */
  public String defaultFault() {
    return defaultFault;
  }

  /** The default fault spec, parsed. */
  public FaultSpec defaultFaultSpec() {
    return defaultFaultSpec;
  }

  /** The API key requests must present, if any. */
  public Optional<String> requiredKey() {
    return Optional.ofNullable(requiredKey);
  }

  /** The random seed, if fixed. */
  public Optional<Long> seed() {
    return Optional.ofNullable(seed);
  }

  /** The server's key and certificate when the mock speaks HTTPS. */
  public Optional<KeyCertOptions> tls() {
    return Optional.ofNullable(tls);
  }

  /** Event loops serving connections. */
  public int eventLoops() {
    return eventLoops;
  }

  @Override
  public String toString() {
    // The key itself is left out: options end up in logs.
    return "MockUpstreamOptions{host=" + host + ", port=" + port + ", defaultFault='" + defaultFault
        + "', requiredKey=" + (requiredKey == null ? "none" : "set") + ", seed=" + seed
        + ", tls=" + (tls != null) + ", eventLoops=" + eventLoops + "}";
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private String defaultFault = "";
    private String requiredKey;
    private Long seed;
    private KeyCertOptions tls;
    private int eventLoops = 1;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Fault spec used when a request carries none; {@code null} means none. */
    public Builder defaultFault(String spec) {
      this.defaultFault = spec == null ? "" : spec;
      return this;
    }

    /** API key that requests must present; {@code null} disables the check. */
    public Builder requiredKey(String key) {
      this.requiredKey = key;
      return this;
    }

    /** Seed for jitter and error_rate draws; {@code null} picks a random seed. */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /** Key and certificate to serve HTTPS with (HTTP/2 and HTTP/1.1 by ALPN); {@code null} for plain HTTP. */
    public Builder tls(KeyCertOptions keyCert) {
      this.tls = keyCert;
      return this;
    }

    /** Event loops serving connections, each with a server on the same port (1 to 64). */
    public Builder eventLoops(int n) {
      this.eventLoops = n;
      return this;
    }

    /**
     * Validates and builds the options.
     *
     * @throws IllegalArgumentException on a blank host, a port outside 0..65535, an empty
     *     required key, or an invalid default fault spec
     */
    public MockUpstreamOptions build() {
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      if (eventLoops < 1 || eventLoops > 64) {
        throw new IllegalArgumentException("eventLoops must be between 1 and 64, got " + eventLoops);
      }
      if (eventLoops > 1 && port == 0) { // the servers share one port: it must be known before the first binds
        throw new IllegalArgumentException("eventLoops above 1 need a fixed port");
      }
      if (requiredKey != null && requiredKey.isEmpty()) {
        throw new IllegalArgumentException("requiredKey must not be empty (use null to disable)");
      }
      try {
        return new MockUpstreamOptions(this);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid defaultFault: " + e.getMessage(), e);
      }
    }
  }
}
