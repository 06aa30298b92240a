package dev.sluice.provider;

/** What a provider type can do; routing never sends a request to a target that lacks a feature it uses. */
public record Capabilities(boolean streaming, boolean tools, boolean vision, boolean jsonMode, boolean embeddings,
    boolean nativeResponses) {

  /** Without OpenAI's native Responses API (every provider type but {@code openai}). */
  public Capabilities(boolean streaming, boolean tools, boolean vision, boolean jsonMode, boolean embeddings) {
    this(streaming, tools, vision, jsonMode, embeddings, false);
  }

  public boolean supports(dev.sluice.core.Feature f) {
    return switch (f) {
      case STREAMING -> streaming;
      case TOOLS -> tools;
      case VISION -> vision;
      case JSON_MODE -> jsonMode;
      case NATIVE_RESPONSES -> nativeResponses;
    };
  }

  /** Every chat feature and embeddings; not the native Responses API ({@link #withNativeResponses()}). */
  public static Capabilities all() {
    return new Capabilities(true, true, true, true, true);
  }

  /** These, plus OpenAI's own Responses API ({@code /responses}) for requests passed through natively. */
  public Capabilities withNativeResponses() {
    return new Capabilities(streaming, tools, vision, jsonMode, embeddings, true);
  }
}
