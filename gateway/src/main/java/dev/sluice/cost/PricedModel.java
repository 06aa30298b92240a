package dev.sluice.cost;

import java.util.List;
import java.util.Set;

/**
 * One model in a {@link PriceCatalog}: who makes it, the id it is filed under, the other names it
 * answers to, and its price.
 *
 * @param provider the provider family: one of {@link #FAMILIES}
 * @param id the canonical model id, lower case ({@code gpt-4o}, {@code claude-sonnet-4-5})
 * @param aliases other exact names for the same model and price (dated snapshots, {@code -latest}
 *     pointers, dotted spellings), lower case
 * @param price what it costs
 */
public record PricedModel(String provider, String id, List<String> aliases, ModelPrice price) {
  /** The provider families the bundled catalog covers. */
  public static final Set<String> FAMILIES =
      Set.of("openai", "anthropic", "google", "deepseek", "qwen", "mistral", "meta", "amazon");

  public PricedModel {
    if (provider == null || provider.isBlank() || id == null || id.isBlank() || price == null) {
      throw new IllegalArgumentException("a priced model needs a provider, an id and a price");
    }
    provider = ModelNames.normalize(provider);
    id = ModelNames.normalize(id);
    aliases = aliases == null ? List.of() : aliases.stream().map(ModelNames::normalize).toList();
  }
}
