package dev.sluice.config;

import java.util.Arrays;
import java.util.Optional;

/** The wire formats Sluice can speak to, with the defaults each implies. */
public enum ProviderType {
  OPENAI("openai", "https://api.openai.com/v1", true),
  OPENAI_COMPATIBLE("openai-compatible", null, false),
  AZURE_OPENAI("azure-openai", null, true),
  ANTHROPIC("anthropic", "https://api.anthropic.com", true),
  GEMINI("gemini", "https://generativelanguage.googleapis.com", true),
  /** Its default base URL depends on the region: see {@link AwsSettings#defaultBaseUrl()}. */
  BEDROCK("bedrock", null, false),
  /** Google Vertex AI; its base URL follows from its {@code location}, its credentials from Google's ADC. */
  VERTEX("vertex", null, false),
  MOCK("mock", null, false);

  private final String wireName;
  private final String defaultBaseUrl;
  private final boolean needsApiKey;

  ProviderType(String wireName, String defaultBaseUrl, boolean needsApiKey) {
    this.wireName = wireName;
    this.defaultBaseUrl = defaultBaseUrl;
    this.needsApiKey = needsApiKey;
  }

  public String wireName() {
    return wireName;
  }

  /** Null when the config must say where the provider is. */
  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  public boolean needsApiKey() {
    return needsApiKey;
  }

  public static Optional<ProviderType> fromWire(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  public static String allWireNames() {
    return String.join(" | ", Arrays.stream(values()).map(ProviderType::wireName).toList());
  }
}
