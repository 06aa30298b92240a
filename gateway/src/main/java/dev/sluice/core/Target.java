package dev.sluice.core;

import java.util.Objects;
import java.util.Set;

/**
 * One place a request can be sent: a configured provider and the model name that provider knows.
 *
 * <p>A final class with the accessors, equality and {@code toString} a record would have, rather than
 * a record, only so that {@link #label()} is computed once: it keys the breaker, cool-down, latency,
 * in-flight and tried-target maps, and building it per call cost a String (and its hash) per look-up.
 */
public final class Target {
  private final String provider;
  private final String model;
  private final int weight;
  private final int defaultMaxTokens;
  private final Set<Feature> disabled;
  private final boolean autoCache;
  private final String label;

  /**
   * @param weight relative share for weighted routing (≥ 1)
   * @param defaultMaxTokens {@code max_tokens} to send when the client gave none and the provider
   *     requires one; 0 leaves it to the provider adapter's default
   * @param disabled features this model lacks even though its provider type has them (a text-only
   *     model behind an OpenAI-compatible server, say)
   * @param autoCache whether the provider adapter may place prompt-cache breakpoints the client did
   *     not set (Anthropic's {@code cache_control}; config {@code auto_cache})
   */
  public Target(String provider, String model, int weight, int defaultMaxTokens, Set<Feature> disabled,
      boolean autoCache) {
    this.provider = provider;
    this.autoCache = autoCache;
    this.model = model;
    this.weight = weight;
    this.defaultMaxTokens = defaultMaxTokens;
    this.disabled = Set.copyOf(disabled);
    this.label = label(provider, model);
  }

  public Target(String provider, String model, int weight, int defaultMaxTokens, Set<Feature> disabled) {
    this(provider, model, weight, defaultMaxTokens, disabled, false);
  }

  public Target(String provider, String model, int weight) {
    this(provider, model, weight, 0, Set.of());
  }

  public String provider() {
    return provider;
  }

  public String model() {
    return model;
  }

  public int weight() {
    return weight;
  }

  public int defaultMaxTokens() {
    return defaultMaxTokens;
  }

  public Set<Feature> disabled() {
    return disabled;
  }

  public boolean autoCache() {
    return autoCache;
  }

  /** {@code provider/model}: how logs, headers and the per-target state maps name this target. */
  public String label() {
    return label;
  }

  /** The {@link #label()} of the target {@code model} at {@code provider}, for code that has only the names. */
  public static String label(String provider, String model) {
    return provider + "/" + model;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target t && weight == t.weight && defaultMaxTokens == t.defaultMaxTokens
        && Objects.equals(provider, t.provider) && Objects.equals(model, t.model) && disabled.equals(t.disabled) && autoCache == t.autoCache;
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, model, weight, defaultMaxTokens, disabled, autoCache);
  }

  @Override
  public String toString() {
    return "Target[provider=" + provider + ", model=" + model + ", weight=" + weight + ", defaultMaxTokens="
        + defaultMaxTokens + ", disabled=" + disabled + ", autoCache=" + autoCache + "]";
  }
}
