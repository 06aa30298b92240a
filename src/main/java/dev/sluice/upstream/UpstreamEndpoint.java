package dev.sluice.upstream;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.UpstreamTimeouts;
import java.util.Map;

/**
 * Where and how to reach one configured provider.
 *
 * @param baseUrl without a trailing slash, e.g. {@code https://api.openai.com/v1}
 * @param apiKey the provider key; never logged, never echoed (null when the provider needs none)
 * @param extraHeaders sent on every call (organization ids, api versions)
 */
public record UpstreamEndpoint(
    String name, String baseUrl, String apiKey, AuthScheme auth, Map<String, String> extraHeaders,
    UpstreamTimeouts timeouts, int maxConnections) {

  public UpstreamEndpoint {
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    extraHeaders = Map.copyOf(extraHeaders);
  }

  @Override
  public String toString() {
    // Records print every component; the key must never reach a log line.
    return "UpstreamEndpoint[" + name + " " + baseUrl + "]";
  }
}
