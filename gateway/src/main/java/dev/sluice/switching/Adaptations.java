package dev.sluice.switching;

import dev.sluice.core.ChatRequest;
import dev.sluice.core.Target;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The adaptation of every target: configured targets (by identity: the router hands out the very
 * instances it was built with) with their own rules over their family's, any other target (a
 * {@code provider/model} request) with its family's only. Immutable after {@link Builder#build};
 * thread-safe.
 */
public final class Adaptations {
  private final FamilyCatalog catalog;
  private final Map<String, String> providerTypes;
  private final Map<Target, TargetAdaptation> configured;
  /** Each family's rules alone, built once: what a {@code provider/model} target gets. */
  private final Map<ModelFamily, TargetAdaptation> familyOnly;

  private Adaptations(FamilyCatalog catalog, Map<String, String> providerTypes, Map<Target, TargetAdaptation> configured) {
    this.catalog = catalog;
    this.providerTypes = Map.copyOf(providerTypes);
    this.configured = Collections.unmodifiableMap(configured);
    Map<ModelFamily, TargetAdaptation> byFamily = new IdentityHashMap<>();
    for (ModelFamily f : catalog.families()) {
      byFamily.put(f, new TargetAdaptation(f, List.of(), null, 0));
    }
    this.familyOnly = Collections.unmodifiableMap(byFamily);
  }

  /** No adaptation at all: every request goes as sent. */
  public static Adaptations none() {
    return new Adaptations(FamilyCatalog.empty(), Map.of(), new IdentityHashMap<>());
  }

  /** @param providerTypes each configured provider's type wire name ({@code openai}, {@code anthropic}, ...) */
  public static Builder builder(FamilyCatalog catalog, Map<String, String> providerTypes) {
    return new Builder(catalog, providerTypes);
  }

  /** The request as {@code target} gets it, and what changed. */
  public Adapted adapt(Target target, ChatRequest request, RequestFacts facts) {
    return forTarget(target).apply(request, facts);
  }

  public TargetAdaptation forTarget(Target target) {
    TargetAdaptation a = configured.get(target);
    if (a != null) {
      return a;
    }
    ModelFamily f = catalog.find(providerTypes.get(target.provider()), target.model());
    if (f == null) {
      return TargetAdaptation.NONE;
    }
    return target.defaultMaxTokens() == 0 ? familyOnly.get(f)
        : new TargetAdaptation(f, List.of(), null, target.defaultMaxTokens());
  }

  /** Collects the configured targets' rules. Not thread-safe; build once at start. */
  public static final class Builder {
    private final FamilyCatalog catalog;
    private final Map<String, String> providerTypes;
    private final Map<Target, TargetAdaptation> configured = new IdentityHashMap<>();

    private Builder(FamilyCatalog catalog, Map<String, String> providerTypes) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      this.providerTypes = Map.copyOf(providerTypes);
    }

    /** @param prompt null: the client's system prompt as sent */
    public Builder target(Target target, List<ParamRule> rules, PromptRule prompt) {
      ModelFamily f = catalog.find(providerTypes.get(target.provider()), target.model());
      configured.put(target, new TargetAdaptation(f, rules, prompt, target.defaultMaxTokens()));
      return this;
    }

    public Adaptations build() {
      return new Adaptations(catalog, providerTypes, configured);
    }
  }
}
