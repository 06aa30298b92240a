package dev.sluice.provider;

/** What a provider type can do; routing never sends a request to a target that lacks a feature it uses. */
public record Capabilities(boolean streaming, boolean tools, boolean vision, boolean jsonMode, boolean embeddings) {
  public boolean supports(dev.sluice.core.Feature f) {
    return switch (f) {
      case STREAMING -> streaming;
      case TOOLS -> tools;
      case VISION -> vision;
      case JSON_MODE -> jsonMode;
    };
  }

  public static Capabilities all() {
    return new Capabilities(true, true, true, true, true);
  }
}
