package dev.sluice.switching.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A small JSON Schema validator: the subset that structured-output schemas use. Supported:
 * {@code type} (one or a list; {@code integer} is a number without fraction), {@code enum},
 * {@code const}, {@code properties}, {@code required}, {@code additionalProperties} (false or a
 * schema), {@code items}, {@code minItems}/{@code maxItems}, {@code minLength}/{@code maxLength},
 * {@code minimum}/{@code maximum}, {@code anyOf}/{@code oneOf}/{@code allOf}, and local
 * {@code $ref}s to {@code #/$defs/…} or {@code #/definitions/…}. Any other keyword is ignored
 * (accepts). Pure; thread-safe.
 */
final class JsonSchemaSubset {
  /** Recursion bound for self-referencing schemas. */
  private static final int MAX_DEPTH = 64;

  private JsonSchemaSubset() {}

  static boolean matches(JsonNode schema, JsonNode value) {
    return matches(schema, schema, value, 0);
  }

  private static boolean matches(JsonNode root, JsonNode schema, JsonNode value, int depth) {
    if (depth > MAX_DEPTH || schema == null || schema.isBoolean() && schema.booleanValue()) {
      return depth <= MAX_DEPTH;
    }
    if (schema.isBoolean()) {
      return false;
    }
    if (!schema.isObject()) {
      return true;
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual()) {
      JsonNode target = resolve(root, ref.textValue());
      if (target == null || !matches(root, target, value, depth + 1)) {
        return false;
      }
    }
    JsonNode type = schema.get("type");
    if (type != null && !typeMatches(type, value)) {
      return false;
    }
    JsonNode en = schema.get("enum");
    if (en != null && en.isArray() && !contains(en, value)) {
      return false;
    }
    JsonNode cons = schema.get("const");
    if (cons != null && !sameValue(cons, value)) {
      return false;
    }
    if (value.isObject() && !objectMatches(root, schema, value, depth)) {
      return false;
    }
    if (value.isArray() && !arrayMatches(root, schema, value, depth)) {
      return false;
    }
    if (value.isTextual() && !bounds(schema, "minLength", "maxLength", value.textValue().codePointCount(0,
        value.textValue().length()))) {
      return false;
    }
    if (value.isNumber()) {
      JsonNode min = schema.get("minimum");
      JsonNode max = schema.get("maximum");
      if (min != null && min.isNumber() && value.decimalValue().compareTo(min.decimalValue()) < 0
          || max != null && max.isNumber() && value.decimalValue().compareTo(max.decimalValue()) > 0) {
        return false;
      }
    }
    JsonNode all = schema.get("allOf");
    if (all != null && all.isArray()) {
      for (JsonNode s : all) {
        if (!matches(root, s, value, depth + 1)) {
          return false;
        }
      }
    }
    JsonNode any = schema.get("anyOf");
    if (any != null && any.isArray() && count(root, any, value, depth) == 0) {
      return false;
    }
    JsonNode one = schema.get("oneOf");
    return one == null || !one.isArray() || count(root, one, value, depth) == 1;
  }

  private static int count(JsonNode root, JsonNode schemas, JsonNode value, int depth) {
    int n = 0;
    for (JsonNode s : schemas) {
      if (matches(root, s, value, depth + 1)) {
        n++;
      }
    }
    return n;
  }

  private static boolean objectMatches(JsonNode root, JsonNode schema, JsonNode value, int depth) {
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      for (JsonNode r : required) {
        if (r.isTextual() && !value.has(r.textValue())) {
          return false;
        }
      }
    }
    JsonNode props = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode p = props != null && props.isObject() ? props.get(f.getKey()) : null;
      if (p != null) {
        if (!matches(root, p, f.getValue(), depth + 1)) {
          return false;
        }
      } else if (additional != null && !matches(root, additional, f.getValue(), depth + 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean arrayMatches(JsonNode root, JsonNode schema, JsonNode value, int depth) {
    if (!bounds(schema, "minItems", "maxItems", value.size())) {
      return false;
    }
    JsonNode items = schema.get("items");
    if (items != null && (items.isObject() || items.isBoolean())) {
      for (JsonNode item : value) {
        if (!matches(root, items, item, depth + 1)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean bounds(JsonNode schema, String minKey, String maxKey, int size) {
    JsonNode min = schema.get(minKey);
    JsonNode max = schema.get(maxKey);
    return !(min != null && min.canConvertToInt() && size < min.intValue()
        || max != null && max.canConvertToInt() && size > max.intValue());
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (t.isTextual() && isType(t.textValue(), value)) {
          return true;
        }
      }
      return false;
    }
    return !type.isTextual() || isType(type.textValue(), value);
  }

  private static boolean isType(String type, JsonNode v) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      case "number" -> v.isNumber();
      case "integer" -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
      default -> true;
    };
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode v : values) {
      if (sameValue(v, value)) {
        return true;
      }
    }
    return false;
  }

  /** JSON equality, with numbers equal by value (1 and 1.0 are the same number). */
  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static JsonNode resolve(JsonNode root, String ref) {
    if (!ref.startsWith("#")) {
      return null; // remote references are not fetched
    }
    JsonNode at = root.at(ref.substring(1));
    return at.isMissingNode() ? null : at;
  }
}
