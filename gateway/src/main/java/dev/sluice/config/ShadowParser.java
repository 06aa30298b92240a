package dev.sluice.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A model entry's {@code shadow} list, and the check that its models exist. */
final class ShadowParser {
  private static final Set<String> KEYS = Set.of("model", "sample", "max_usd_per_day", "max_concurrency", "parallel",
      "compare", "embedding_model");

  private ShadowParser() {
  }

  static List<ShadowConfig> parse(ConfigNode model) {
    List<ShadowConfig> out = new ArrayList<>();
    for (ConfigNode s : model.list("shadow")) {
      s.allowOnly(KEYS);
      String name = s.requiredString("model");
      double sample = s.ratio("sample", 0.0);
      BigDecimal cap = TenantParser.money(s, "max_usd_per_day", false);
      int concurrency = s.integer("max_concurrency", ShadowConfig.DEFAULT_MAX_CONCURRENCY, 1, 10_000);
      boolean parallel = s.bool("parallel", false);
      Set<String> compare = new LinkedHashSet<>();
      for (String c : s.stringList("compare")) {
        if (!ShadowConfig.COMPARISONS.contains(c)) {
          s.problem("compare", "must list only exact, json, tools, similarity");
        } else {
          compare.add(c);
        }
      }
      if (compare.isEmpty()) { // unset: everything that needs no embedding model
        compare.addAll(List.of("exact", "json", "tools"));
      }
      String embedding = s.string("embedding_model", null);
      if (compare.contains("similarity") && (embedding == null || embedding.isBlank())) {
        s.problem("embedding_model", "is required when compare lists similarity (the model whose embeddings give it)");
      }
      if (name != null) {
        out.add(new ShadowConfig(name, sample, cap, concurrency, parallel, compare, embedding));
      }
    }
    return out;
  }

  /**
   * Every shadow's {@code model} (and {@code embedding_model}) must be a configured entry, or
   * {@code provider/model} of a configured provider; and not the entry itself.
   */
  static void checkReferences(List<ModelConfig> models, List<ConfigNode> nodes, Set<String> skippedModels,
      Set<String> providers) {
    Set<String> names = new java.util.HashSet<>();
    models.forEach(m -> names.add(m.name()));
    for (int i = 0; i < models.size(); i++) {
      ModelConfig m = models.get(i);
      List<ShadowConfig> shadows = m.shadow();
      for (int j = 0; j < shadows.size(); j++) {
        ShadowConfig s = shadows.get(j);
        String at = "shadow[" + j + "]";
        if (s.model().equals(m.name())) {
          nodes.get(i).problem(at + ".model", "a model cannot shadow itself");
        }
        check(names, skippedModels, providers, s.model(), nodes.get(i), at + ".model");
        if (s.embeddingModel() != null) {
          check(names, skippedModels, providers, s.embeddingModel(), nodes.get(i), at + ".embedding_model");
        }
      }
    }
  }

  private static void check(Set<String> names, Set<String> skipped, Set<String> providers, String ref, ConfigNode node,
      String key) {
    if (names.contains(ref) || skipped.contains(ref)) {
      return;
    }
    int slash = ref.indexOf('/');
    if (slash > 0 && slash < ref.length() - 1) {
      if (!providers.contains(ref.substring(0, slash))) {
        node.problem(key, "no provider named '" + ref.substring(0, slash) + "' is configured");
      }
      return;
    }
    node.problem(key, "no model named '" + ref + "' is configured (use a model entry's name or provider/model)");
  }
}
