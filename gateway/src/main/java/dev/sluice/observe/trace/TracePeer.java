package dev.sluice.observe.trace;

import java.net.URI;

/**
 * What a provider's client spans say about it, worked out once at start: its GenAI provider name,
 * its address, and whether a {@code traceparent} goes to it. Immutable.
 *
 * @param provider the provider's name in the config ({@code sluice.provider})
 * @param genAiProvider {@code gen_ai.provider.name}: the semconv well-known value of its type
 *     ({@code openai}, {@code azure.ai.openai}, {@code anthropic}, {@code gcp.gemini}); for
 *     {@code openai-compatible} and {@code mock} its config name (a custom value)
 * @param address host of its base URL; null when unknown
 * @param port port of its base URL (the scheme's default when the URL names none); 0 when unknown
 * @param propagate whether its requests carry the attempt's {@code traceparent}
 */
public record TracePeer(String provider, String genAiProvider, String address, int port, boolean propagate) {

  /**
   * @param type the provider type's config name ({@code openai}, {@code azure-openai} …)
   * @param baseUrl where its requests go; null when not known
   */
  public static TracePeer of(String provider, String type, String baseUrl, boolean propagate) {
    String host = null;
    int port = 0;
    if (baseUrl != null) {
      try {
        URI uri = URI.create(baseUrl);
        host = uri.getHost();
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      } catch (IllegalArgumentException malformed) {
        host = null; // validated by the config; a span without an address is still a span
      }
    }
    return new TracePeer(provider, genAiProviderName(type, provider), host, host == null ? 0 : port, propagate);
  }

  /** A provider known only by name (tools and benchmarks that build runtimes by hand). */
  public static TracePeer named(String provider) {
    return new TracePeer(provider, provider, null, 0, false);
  }

  static String genAiProviderName(String type, String provider) {
    return switch (type == null ? "" : type) {
      case "openai" -> "openai";
      case "azure-openai" -> "azure.ai.openai";
      case "anthropic" -> "anthropic";
      case "gemini" -> "gcp.gemini";
      default -> provider;
    };
  }
}
