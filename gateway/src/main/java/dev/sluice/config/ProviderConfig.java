package dev.sluice.config;

import dev.sluice.core.UpstreamTimeouts;
import java.util.Map;

/**
 * One upstream provider.
 *
 * @param baseUrl resolved (the type's default when the file gives none); null only for {@code mock};
 *     printed without its password or query values
 * @param apiKey never printed: {@link #toString()} hides it
 * @param fault for {@code mock}: the default fault spec of the built-in mock upstream
 * @param propagateTrace whether a W3C {@code traceparent} goes to this provider (off: some reject unknown headers)
 * @param aws for {@code bedrock}: region and credentials; null for every other type
 * @param vertex for {@code vertex}: project, location and credentials; null for other types
 * @param caFile PEM file of the certificate authorities to trust for this provider's HTTPS instead of
 *     the JVM's (a self-hosted model server behind a private CA); null: the JVM's trust store
 */
public record ProviderConfig(
    String name, ProviderType type, String baseUrl, String apiKey, Map<String, String> headers,
    UpstreamTimeouts timeouts, int maxConnections, String apiVersion, String fault, boolean propagateTrace,
    AwsSettings aws, VertexConfig vertex, String caFile) {

  public ProviderConfig {
    headers = Map.copyOf(headers);
  }

  public ProviderConfig(String name, ProviderType type, String baseUrl, String apiKey, Map<String, String> headers,
      UpstreamTimeouts timeouts, int maxConnections, String apiVersion, String fault, boolean propagateTrace) {
    this(name, type, baseUrl, apiKey, headers, timeouts, maxConnections, apiVersion, fault, propagateTrace, null, null,
        null);
  }

  @Override
  public String toString() {
    return "ProviderConfig[" + name + " " + type.wireName() + " " + dev.sluice.core.Urls.redacted(baseUrl) + "]";
  }
}
