package dev.sluice.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a price catalog from YAML (the bundled {@code prices/catalog.yaml} or a test's own). Strict:
 * an unknown key, a missing price, a price finer than a micro-USD, a negative price, a missing
 * {@code as_of} or {@code source} all fail the whole load with a message naming the model — a
 * catalog that half-loads would price some models silently wrong.
 *
 * <p>Prices are read from their text (quote them: {@code "0.15"}), never through a {@code double}.
 */
final class CatalogLoader {
  private static final Set<String> MODEL_KEYS = Set.of("provider", "id", "aliases", "input", "output",
      "cached_input", "cache_write", "reasoning", "tiers", "as_of", "source");
  private static final Set<String> TIER_KEYS =
      Set.of("above_input_tokens", "input", "output", "cached_input", "cache_write", "reasoning");

  private CatalogLoader() {}

  static PriceCatalog load(InputStream yaml, String origin) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read price catalog " + origin, e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalStateException(origin + ": not a YAML mapping");
    }
    String version = text(root, "version", origin);
    JsonNode models = root.get("models");
    if (models == null || !models.isArray() || models.isEmpty()) {
      throw new IllegalStateException(origin + ": 'models' must be a non-empty list");
    }
    List<PricedModel> entries = new ArrayList<>();
    for (JsonNode model : models) {
      String where = origin + ": model " + (model.hasNonNull("id") ? model.get("id").asText() : "#" + entries.size());
      try {
        entries.add(model(model, where));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(where + ": " + e.getMessage(), e);
      }
    }
    return PriceCatalog.of(version, entries);
  }

  private static PricedModel model(JsonNode node, String where) {
    checkKeys(node, MODEL_KEYS, where);
    String provider = text(node, "provider", where);
    if (!PricedModel.FAMILIES.contains(provider)) {
      throw new IllegalArgumentException("provider must be one of " + PricedModel.FAMILIES + ": " + provider);
    }
    List<String> aliases = new ArrayList<>();
    JsonNode aliasNode = node.get("aliases");
    if (aliasNode != null && !aliasNode.isNull()) {
      if (!aliasNode.isArray()) {
        throw new IllegalArgumentException("'aliases' must be a list");
      }
      aliasNode.forEach(a -> aliases.add(a.asText()));
    }
    List<Tier> tiers = new ArrayList<>();
    JsonNode tierNode = node.get("tiers");
    if (tierNode != null && !tierNode.isNull()) {
      if (!tierNode.isArray()) {
        throw new IllegalArgumentException("'tiers' must be a list");
      }
      for (JsonNode t : tierNode) {
        checkKeys(t, TIER_KEYS, where + " tier");
        JsonNode above = t.get("above_input_tokens");
        if (above == null || !above.canConvertToLong()) {
          throw new IllegalArgumentException("a tier needs a whole 'above_input_tokens'");
        }
        tiers.add(new Tier(above.asLong(), rates(t)));
      }
    }
    LocalDate asOf;
    try {
      asOf = LocalDate.parse(text(node, "as_of", where));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'as_of' must be a date (YYYY-MM-DD)", e);
    }
    String source = text(node, "source", where);
    ModelPrice price = ModelPrice.of(rates(node), tiers, asOf, source);
    return new PricedModel(provider, text(node, "id", where), aliases, price);
  }

  private static Rates rates(JsonNode node) {
    return new Rates(price(node, "input", true), price(node, "output", true), price(node, "cached_input", false),
        price(node, "cache_write", false), price(node, "reasoning", false));
  }

  private static Micros price(JsonNode node, String key, boolean required) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException("'" + key + "' price is missing");
      }
      return null;
    }
    if (!value.isTextual()) {
      // An unquoted 0.1 has already been through a double by the time it is a number node.
      throw new IllegalArgumentException("'" + key + "' must be a quoted decimal string, e.g. \"0.15\"");
    }
    return Micros.parse(value.asText());
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull() || value.asText().isBlank()) {
      throw new IllegalStateException(where + ": '" + key + "' is required");
    }
    return value.asText().strip();
  }

  private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (allowed: " + allowed + ")");
      }
    }
  }
}
