package dev.sluice.config;

/**
 * How one target adapts the request before it is encoded: its system prompt and its parameter
 * rules (on top of the built-in rules of the target's model family). {@link #NONE}: nothing of its own.
 */
public record AdaptationConfig() {
  public static final AdaptationConfig NONE = new AdaptationConfig();
}
