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
 * @param shadow candidates that get a sampled copy of the entry's requests; empty for none
 * @param canary the candidate ramped up on a share of the entry's traffic; null for none
 * @param cache the entry's response cache; null when off
 * @param sticky whether a conversation (its {@code x-sluice-session} header or {@code user}) stays on one target
 */
public record ModelConfig(String name, List<TargetConfig> targets, ParamPolicy unsupportedParams, int maxTokens,
    ReliabilityConfig reliability, LimitsConfig limits, List<ShadowConfig> shadow, CanaryConfig canary,
    boolean sticky, CacheConfig cache) {
  public ModelConfig {
    targets = List.copyOf(targets);
    shadow = List.copyOf(shadow);
  }

  /**
   * One target of a model entry.
   *
   * @param disabled features this model lacks although its provider type has them
   * @param limits the target's own rate limits (what its provider account allows)
   * @param price null: the bundled catalog's price
   * @param adaptation the target's own system prompt and parameter rules
   */
  public record TargetConfig(String provider, String model, int weight, Set<Feature> disabled, LimitsConfig limits,
      PriceConfig price, AdaptationConfig adaptation, boolean autoCache) {
    public TargetConfig {
      disabled = Set.copyOf(disabled);
    }
  }
}
