package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Brings a {@code strict: true} tool's schema to what OpenAI's strict mode demands, for a client
 * whose schema was written for a provider that ignores the flag (Sluice does not send it to
 * Anthropic or Gemini). Strict mode refuses a schema unless every object has
 * {@code additionalProperties: false} and lists all its properties in {@code required}. So every
 * object without {@code additionalProperties} gets {@code false}, and each property that was
 * optional becomes required and nullable (its type gains {@code "null"}, or it becomes
 * {@code anyOf: [schema, {"type": "null"}]}): the model then sends {@code null} where it would have
 * left the property out.
 *
 * <p>A schema strict mode cannot take at all (an object that allows additional properties,
 * {@code allOf}, {@code not}, {@code if}, {@code patternProperties} ...) is not changed; the caller
 * sends the tool without {@code strict} instead. Pure: the input is never modified.
 */
final class OpenAiStrictSchemas {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Keywords strict mode refuses: with one of these the tool goes without strict. */
  private static final Set<String> UNSUPPORTED = Set.of("allOf", "not", "if", "then", "else", "dependentRequired",
      "dependentSchemas", "patternProperties", "unevaluatedProperties", "propertyNames", "minProperties",
      "maxProperties");
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions");
  private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "prefixItems");

  private OpenAiStrictSchemas() {}

  /** Thrown inside the walk when strict mode cannot take the schema. */
  private static final class NotStrictable extends RuntimeException {
    NotStrictable() {
      super(null, null, false, false);
    }
  }

  /**
   * @return {@code schema} itself when strict mode takes it as it is, a rewritten copy when it can
   *     be brought there, or null when it cannot (send the tool without {@code strict})
   */
  static JsonNode adapt(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return null;
    }
    try {
      JsonNode out = walk(schema);
      return out.equals(schema) ? schema : out;
    } catch (NotStrictable e) {
      return null;
    }
  }

  private static JsonNode walk(JsonNode node) {
    if (!node.isObject()) {
      return node.deepCopy();
    }
    ObjectNode out = F.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      if (UNSUPPORTED.contains(key)) {
        throw new NotStrictable();
      } else if (SCHEMA_MAPS.contains(key) && v.isObject()) {
        ObjectNode map = out.putObject(key);
        v.fields().forEachRemaining(p -> map.set(p.getKey(), walk(p.getValue())));
      } else if (SCHEMA_LISTS.contains(key) && v.isArray()) {
        ArrayNode list = out.putArray(key);
        v.forEach(s -> list.add(walk(s)));
      } else if ("items".equals(key)) {
        out.set(key, walk(v));
      } else {
        out.set(key, v.deepCopy());
      }
    }
    if ("object".equals(out.path("type").asText()) || out.has("properties")) {
      closeObject(out);
    }
    return out;
  }

  private static void closeObject(ObjectNode out) {
    JsonNode extra = out.get("additionalProperties");
    if (extra == null) {
      out.put("additionalProperties", false);
    } else if (!(extra.isBoolean() && !extra.booleanValue())) {
      throw new NotStrictable();
    }
    JsonNode props = out.path("properties");
    if (!props.isObject()) {
      return;
    }
    Set<String> required = new java.util.LinkedHashSet<>();
    out.path("required").forEach(n -> required.add(n.asText()));
    ArrayNode all = F.arrayNode();
    ObjectNode properties = (ObjectNode) props;
    properties.fieldNames().forEachRemaining(all::add);
    for (JsonNode name : all) {
      if (!required.contains(name.asText())) {
        properties.set(name.asText(), nullable(properties.get(name.asText())));
      }
    }
    out.set("required", all);
  }

  /** The schema, also accepting null. */
  private static JsonNode nullable(JsonNode schema) {
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode s = (ObjectNode) schema;
    JsonNode type = s.get("type");
    boolean plain = !s.has("enum") && !s.has("const") && !s.has("anyOf") && !s.has("$ref");
    if (plain && type != null && type.isTextual()) {
      if (!"null".equals(type.textValue())) {
        s.putArray("type").add(type.textValue()).add("null");
      }
      return s;
    }
    if (plain && type != null && type.isArray()) {
      for (JsonNode t : type) {
        if ("null".equals(t.asText())) {
          return s;
        }
      }
      ((ArrayNode) type).add("null");
      return s;
    }
    if (s.has("anyOf") && s.size() == 1 && s.get("anyOf").isArray()) {
      for (JsonNode b : s.get("anyOf")) {
        if ("null".equals(b.path("type").asText())) {
          return s;
        }
      }
      ((ArrayNode) s.get("anyOf")).addObject().put("type", "null");
      return s;
    }
    ObjectNode wrapped = F.objectNode();
    ArrayNode any = wrapped.putArray("anyOf");
    any.add(s);
    any.addObject().put("type", "null");
    return wrapped;
  }
}
