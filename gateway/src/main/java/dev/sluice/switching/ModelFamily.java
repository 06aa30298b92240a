package dev.sluice.switching;

import java.util.List;
import java.util.Set;

/**
 * A known model family of the catalog: which provider types and model names it covers, the
 * parameter rules its models need, and how they take reasoning (null: as sent).
 */
record ModelFamily(String name, Set<String> providerTypes, List<NamePattern> models, List<ParamRule> rules,
    ReasoningStyle reasoning) {
  ModelFamily {
    providerTypes = Set.copyOf(providerTypes);
    models = List.copyOf(models);
    rules = List.copyOf(rules);
  }

  boolean covers(String providerType, String model) {
    if (!providerTypes.contains(providerType)) {
      return false;
    }
    for (NamePattern p : models) {
      if (p.matches(model)) {
        return true;
      }
    }
    return false;
  }
}
