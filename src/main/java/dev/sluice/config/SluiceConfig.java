package dev.sluice.config;

import dev.sluice.core.ParamPolicy;
import java.util.List;
import java.util.Optional;

/**
 * A validated config: every reference resolves (targets name existing providers, names are
 * unique). Immutable.
 *
 * @param unsupportedParams the global policy for parameters a target cannot carry (default drop)
 * @param skipped human-readable notes on optional entries left out (a provider whose key is unset)
 */
public record SluiceConfig(
    ServerConfig server, List<ProviderConfig> providers, List<ModelConfig> models, List<KeyConfig> keys,
    ParamPolicy unsupportedParams, List<String> skipped) {

  public SluiceConfig {
    providers = List.copyOf(providers);
    models = List.copyOf(models);
    keys = List.copyOf(keys);
    skipped = List.copyOf(skipped);
  }

  public Optional<ProviderConfig> provider(String name) {
    return providers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public SluiceConfig withPort(int port) {
    return new SluiceConfig(server.withPort(port), providers, models, keys, unsupportedParams, skipped);
  }
}
