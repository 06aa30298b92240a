package dev.sluice.core;

import java.util.Set;

/**
 * One place a request can be sent: a configured provider and the model name that provider knows.
 *
 * @param weight relative share for weighted routing (≥ 1)
 * @param defaultMaxTokens {@code max_tokens} to send when the client gave none and the provider
 *     requires one; 0 leaves it to the provider adapter's default
 * @param disabled features this model lacks even though its provider type has them (a text-only
 *     model behind an OpenAI-compatible server, say)
 */
public record Target(String provider, String model, int weight, int defaultMaxTokens, Set<Feature> disabled) {

  public Target {
    disabled = Set.copyOf(disabled);
  }

  public Target(String provider, String model, int weight) {
    this(provider, model, weight, 0, Set.of());
  }

  public String label() {
    return provider + "/" + model;
  }
}
