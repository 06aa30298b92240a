package dev.sluice.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned list of model prices and the rules for finding one by the name a target or a client
 * uses. Immutable and thread-safe; lookups allocate little and never do I/O, so they are fine on an
 * event loop.
 *
 * <h2>Finding a price</h2>
 * {@link #find(String, String)} tries, in order, and case-insensitively:
 * <ol>
 *   <li>a per-target override ({@link #withOverrides}) for the name or any of its tolerant forms;
 *   <li>a catalog model whose id is the name;
 *   <li>a catalog model that lists the name among its aliases;
 *   <li>the tolerant forms of the name, each as an id then as an alias: routing prefixes removed
 *       ({@code openai/gpt-4o}, {@code models/gemini-2.5-pro}, {@code us.anthropic.claude-…},
 *       {@code …@20250929}), then version and date suffixes peeled one at a time
 *       ({@code gpt-4o-2024-11-20} → {@code gpt-4o}, {@code claude-sonnet-4-5-20250929} →
 *       {@code claude-sonnet-4-5}, {@code mistral-large-2411}, {@code -latest}, {@code -001}).
 * </ol>
 * Ids and aliases are unique across the whole catalog, so the provider is not needed to tell
 * bundled models apart; it matters for overrides, which are keyed by target label.
 *
 * <p>Not found means the price is unknown: price the call with {@link CostCalculator#unknown()}
 * and flag it, never as free.
 */
public final class PriceCatalog {
  static final String BUNDLED_RESOURCE = "/prices/catalog.yaml";

  private final String version;
  private final List<PricedModel> entries;
  private final Map<String, PricedModel> byId;
  private final Map<String, PricedModel> byAlias;
  private final Map<String, ModelPrice> overrides;

  private PriceCatalog(String version, List<PricedModel> entries, Map<String, PricedModel> byId,
      Map<String, PricedModel> byAlias, Map<String, ModelPrice> overrides) {
    this.version = version;
    this.entries = entries;
    this.byId = byId;
    this.byAlias = byAlias;
    this.overrides = overrides;
  }

  /** The catalog shipped in the jar, parsed on first use and shared after that. */
  public static PriceCatalog bundled() {
    return Bundled.INSTANCE;
  }

  /**
   * A catalog of the given models.
   *
   * @throws IllegalArgumentException if two models share an id or an alias, or a name is both
   */
  public static PriceCatalog of(String version, List<PricedModel> entries) {
    Map<String, PricedModel> byId = new HashMap<>();
    Map<String, PricedModel> byAlias = new HashMap<>();
    for (PricedModel entry : entries) {
      claim(byId, byAlias, entry.id(), entry, true);
      for (String alias : entry.aliases()) {
        claim(byId, byAlias, alias, entry, false);
      }
    }
    return new PriceCatalog(version, List.copyOf(entries), Map.copyOf(byId), Map.copyOf(byAlias), Map.of());
  }

  /**
   * The catalog's version, as written in the catalog ({@code version:}); with {@code "+overrides"}
   * appended when overrides are layered on, so a cost recorded with it is never mistaken for one
   * priced purely from the bundled list.
   */
  public String version() {
    return overrides.isEmpty() ? version : version + "+overrides";
  }

  /** Every model in the catalog, in file order (overrides not included). */
  public List<PricedModel> entries() {
    return entries;
  }

  /**
   * The price of a model, found as described on this class.
   *
   * @param provider the target's provider name, used to match {@code provider/model} override
   *     labels; may be null
   * @param model the model name as the target or the client spells it
   */
  public Optional<ModelPrice> find(String provider, String model) {
    String name = ModelNames.normalize(model);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    List<String> forms = ModelNames.tolerantForms(name);
    if (!overrides.isEmpty()) {
      String prefix = provider == null || provider.isBlank() ? null : ModelNames.normalize(provider) + "/";
      Optional<ModelPrice> override = override(prefix, name);
      for (int i = 0; override.isEmpty() && i < forms.size(); i++) {
        override = override(prefix, forms.get(i));
      }
      if (override.isPresent()) {
        return override;
      }
    }
    PricedModel hit = lookup(name);
    for (int i = 0; hit == null && i < forms.size(); i++) {
      hit = lookup(forms.get(i));
    }
    return hit == null ? Optional.empty() : Optional.of(hit.price());
  }

  /**
   * This catalog with per-target prices layered over it; they win over every bundled price. A key
   * is a target label, {@code provider/model} (matched when {@link #find} is given that provider,
   * or a model spelled with that prefix), or a bare {@code model} (matched whatever the provider).
   * Keys are case-insensitive and match the tolerant forms of a name too, so an override for
   * {@code openai/gpt-4o} also prices {@code gpt-4o-2024-11-20} on that target. Later calls replace
   * earlier overrides for the same key.
   */
  public PriceCatalog withOverrides(Map<String, ModelPrice> byLabel) {
    Map<String, ModelPrice> merged = new LinkedHashMap<>(overrides);
    byLabel.forEach((label, price) -> {
      String key = ModelNames.normalize(label);
      if (key.isEmpty() || price == null) {
        throw new IllegalArgumentException("an override needs a label and a price: " + label);
      }
      merged.put(key, price);
    });
    return new PriceCatalog(version, entries, byId, byAlias, Map.copyOf(merged));
  }

  private Optional<ModelPrice> override(String providerPrefix, String name) {
    ModelPrice price = providerPrefix == null ? null : overrides.get(providerPrefix + name);
    if (price == null) {
      price = overrides.get(name);
    }
    return Optional.ofNullable(price);
  }

  private PricedModel lookup(String name) {
    PricedModel hit = byId.get(name);
    return hit != null ? hit : byAlias.get(name);
  }

  private static void claim(Map<String, PricedModel> byId, Map<String, PricedModel> byAlias, String name,
      PricedModel entry, boolean isId) {
    PricedModel clash = byId.containsKey(name) ? byId.get(name) : byAlias.get(name);
    if (clash != null && clash != entry) {
      throw new IllegalArgumentException("'" + name + "' names both " + clash.id() + " and " + entry.id());
    }
    if (clash == entry) {
      return; // an alias repeating the entry's own id or another alias is harmless
    }
    (isId ? byId : byAlias).put(name, entry);
  }

  /** Holder idiom: the bundled catalog is parsed once, lazily, thread-safely by class init. */
  private static final class Bundled {
    static final PriceCatalog INSTANCE = load();

    private static PriceCatalog load() {
      try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("price catalog " + BUNDLED_RESOURCE + " is not on the classpath");
        }
        return CatalogLoader.load(in, BUNDLED_RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
