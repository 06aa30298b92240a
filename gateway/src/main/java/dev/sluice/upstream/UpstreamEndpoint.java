package dev.sluice.upstream;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.Urls;
import dev.sluice.core.UpstreamTimeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where and how to reach one configured provider.
 *
 * @param baseUrl without a trailing slash, e.g. {@code https://api.openai.com/v1}
 * @param apiKey the provider key; never logged, never echoed (null when the provider needs none)
 * @param extraHeaders sent on every call (organization ids, api versions)
 * @param caFile PEM file of the authorities trusted for HTTPS to this endpoint; null: the JVM's
 */
public record UpstreamEndpoint(
    String name, String baseUrl, String apiKey, AuthScheme auth, Map<String, String> extraHeaders,
    UpstreamTimeouts timeouts, int maxConnections, String caFile) {

  public UpstreamEndpoint {
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    extraHeaders = Map.copyOf(extraHeaders);
  }

  /** An endpoint trusting the JVM's certificate authorities. */
  public UpstreamEndpoint(String name, String baseUrl, String apiKey, AuthScheme auth, Map<String, String> extraHeaders,
      UpstreamTimeouts timeouts, int maxConnections) {
    this(name, baseUrl, apiKey, auth, extraHeaders, timeouts, maxConnections, null);
  }

  /**
   * Everything this endpoint sends that may authenticate it: the API key, the value of every
   * configured header (which header carries a credential is the operator's business: all count),
   * the base URL's password and query values. Provider error text is redacted of these.
   */
  public List<String> secrets() {
    List<String> out = new ArrayList<>();
    out.add(apiKey);
    out.addAll(extraHeaders.values());
    out.addAll(Urls.secretsOf(baseUrl));
    return out;
  }

  @Override
  public String toString() {
    // Records print every component; the key must never reach a log line.
    return "UpstreamEndpoint[" + name + " " + Urls.redacted(baseUrl) + "]";
  }
}
