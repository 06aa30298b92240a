package dev.sluice.config;

import dev.sluice.core.Feature;
import dev.sluice.core.ParamPolicy;
import java.util.List;
import java.util.Set;

/**
 * A model name clients may send, and the targets that serve it.
 *
 * @param unsupportedParams what to do with parameters a target cannot carry; null: the global policy
 * @param reliability routing, retries, breaker, timeouts, hedging, fallbacks, degradation
 * @param limits the entry's own rate limits, over all its targets
 * @param maxTokens {@code max_tokens} for providers that require one when the client gave none; 0: adapter default
 */
public record ModelConfig(String name, List<TargetConfig> targets, ParamPolicy unsupportedParams, int maxTokens,
    ReliabilityConfig reliability, LimitsConfig limits) {
  public ModelConfig {
    targets = List.copyOf(targets);
  }

  /**
   * One target of a model entry.
   *
   * @param disabled features this model lacks although its provider type has them
   * @param limits the target's own rate limits (what its provider account allows)
   * @param price null: the bundled catalog's price
   */
  public record TargetConfig(String provider, String model, int weight, Set<Feature> disabled, LimitsConfig limits,
      PriceConfig price) {
    public TargetConfig {
      disabled = Set.copyOf(disabled);
    }
  }
}
