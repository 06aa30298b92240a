package dev.sluice.switching;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in model families ({@value #BUNDLED_RESOURCE}): versioned and dated like the price
 * catalog, each family with the sources its rules come from. The first family (in file order) that
 * covers a target's provider type and model name is the target's. Immutable, thread-safe.
 */
public final class FamilyCatalog {
  static final String BUNDLED_RESOURCE = "/dev/sluice/switching/model-families.json";
  private static final Set<String> STYLES = Set.of("openai_effort", "anthropic_thinking", "gemini_budget",
      "gemini_level", "drop");

  private final String version;
  private final String asOf;
  private final List<ModelFamily> families;

  private FamilyCatalog(String version, String asOf, List<ModelFamily> families) {
    this.version = version;
    this.asOf = asOf;
    this.families = List.copyOf(families);
  }

  /** The catalog shipped with Sluice. */
  public static FamilyCatalog bundled() {
    return Bundled.INSTANCE;
  }

  /** A catalog with no family: only the targets' own rules apply. */
  public static FamilyCatalog empty() {
    return new FamilyCatalog("none", "", List.of());
  }

  public String version() {
    return version;
  }

  public String asOf() {
    return asOf;
  }

  /** The family names, in match order. */
  public List<String> familyNames() {
    return families.stream().map(ModelFamily::name).toList();
  }

  /** The name of the family covering this target, if any (for reports and tests). */
  public Optional<String> familyOf(String providerType, String model) {
    return Optional.ofNullable(find(providerType, model)).map(ModelFamily::name);
  }

  List<ModelFamily> families() {
    return families;
  }

  ModelFamily find(String providerType, String model) {
    if (providerType == null || model == null) {
      return null;
    }
    for (ModelFamily f : families) {
      if (f.covers(providerType, model)) {
        return f;
      }
    }
    return null;
  }

  /** Reads a catalog; a malformed one is an {@link IllegalArgumentException} naming the family. */
  static FamilyCatalog read(JsonNode root) {
    String version = text(root, "version", "catalog");
    String asOf = text(root, "as_of", "catalog");
    List<ModelFamily> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode f : root.path("families")) {
      String name = text(f, "name", "family");
      if (!names.add(name)) {
        throw new IllegalArgumentException("family '" + name + "' is listed twice");
      }
      Set<String> providers = new HashSet<>();
      f.path("providers").forEach(p -> providers.add(p.asText()));
      List<NamePattern> models = new ArrayList<>();
      f.path("models").forEach(m -> models.add(new NamePattern(m.asText())));
      if (providers.isEmpty() || models.isEmpty()) {
        throw new IllegalArgumentException("family '" + name + "' needs providers and models");
      }
      if (!f.path("sources").isArray() || f.path("sources").isEmpty()) {
        throw new IllegalArgumentException("family '" + name + "' cites no source");
      }
      List<ParamRule> rules = new ArrayList<>();
      for (JsonNode r : f.path("params")) {
        rules.add(rule(r, name));
      }
      out.add(new ModelFamily(name, providers, models, rules, reasoning(f.get("reasoning"), name)));
    }
    return new FamilyCatalog(version, asOf, out);
  }

  private static ParamRule rule(JsonNode r, String family) {
    for (String op : List.of("rename", "set", "default", "clamp", "drop")) {
      if (r.has(op)) {
        JsonNode min = r.get("min");
        JsonNode max = r.get("max");
        return ParamRule.of(op, r.get(op).asText(), r.has("to") ? r.get("to").asText() : null, r.get("value"),
            min == null ? null : min.doubleValue(), max == null ? null : max.doubleValue());
      }
    }
    throw new IllegalArgumentException("family '" + family + "' has a rule without an operation: " + r);
  }

  private static ReasoningStyle reasoning(JsonNode r, String family) {
    if (r == null) {
      return null;
    }
    String style = r.path("style").asText("");
    if (!STYLES.contains(style)) {
      throw new IllegalArgumentException("family '" + family + "' has an unknown reasoning style '" + style + "'");
    }
    Map<String, Integer> budgets = new HashMap<>();
    r.path("budgets").fields().forEachRemaining(e -> budgets.put(e.getKey(), e.getValue().intValue()));
    Map<String, String> levels = new HashMap<>();
    r.path("levels").fields().forEachRemaining(e -> levels.put(e.getKey(), e.getValue().asText()));
    ReasoningStyle.Kind kind = ReasoningStyle.Kind.valueOf(style.toUpperCase(java.util.Locale.ROOT));
    if ((kind == ReasoningStyle.Kind.ANTHROPIC_THINKING || kind == ReasoningStyle.Kind.GEMINI_BUDGET)
        && !budgets.keySet().containsAll(List.of("none", "minimal", "low", "medium", "high"))) {
      throw new IllegalArgumentException("family '" + family + "' needs budgets for none, minimal, low, medium, high");
    }
    if (kind == ReasoningStyle.Kind.GEMINI_LEVEL
        && !levels.keySet().containsAll(List.of("none", "minimal", "low", "medium", "high"))) {
      throw new IllegalArgumentException("family '" + family + "' needs levels for none, minimal, low, medium, high");
    }
    return new ReasoningStyle(kind, budgets, levels, r.path("min").asInt(0), r.path("max").asInt(0));
  }

  private static String text(JsonNode n, String field, String what) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      throw new IllegalArgumentException(what + " needs '" + field + "'");
    }
    return v.textValue();
  }

  /** Holder idiom: the bundled catalog is parsed once, lazily, thread-safely by class init. */
  private static final class Bundled {
    static final FamilyCatalog INSTANCE = load();

    private static FamilyCatalog load() {
      try (InputStream in = FamilyCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("model family catalog " + BUNDLED_RESOURCE + " is not on the classpath");
        }
        return read(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
