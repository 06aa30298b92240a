package dev.sluice.testing;

/** A gateway config with one model, {@code chat}, on one upstream, its answers kept by the response cache for an hour. */
public final class CachedChatConfig {
  private CachedChatConfig() {
  }

  /** One key, {@link TestGateway#KEY} (name {@code alice}, no team). */
  public static String oneKey(String upstreamBaseUrl) {
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: up, type: openai-compatible, base_url: %s }
        models:
          - name: chat
            targets: [ { provider: up, model: m1 } ]
            cache: { ttl: 1h }
        keys:
          - { key: %s, name: alice }
        """.formatted(upstreamBaseUrl, TestGateway.KEY);
  }
}
