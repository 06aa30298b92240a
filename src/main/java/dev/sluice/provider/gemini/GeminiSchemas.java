package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Copies a JSON Schema into the subset Gemini's {@code Schema} accepts: it answers 400 on
 * {@code additionalProperties}, {@code $schema} and {@code strict}, which OpenAI clients send as a
 * matter of course. Only schema keywords are removed: a property <em>named</em> {@code strict}
 * stays. The input is never modified (it belongs to the immutable canonical request).
 */
final class GeminiSchemas {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> UNSUPPORTED = Set.of("additionalProperties", "$schema", "strict");
  /** Keywords whose value maps names to subschemas. */
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties");
  /** Keywords whose value is a subschema or an array of them. */
  private static final Set<String> SUBSCHEMAS = Set.of("items", "not", "anyOf", "oneOf", "allOf", "prefixItems",
      "additionalItems", "contains", "if", "then", "else");

  private GeminiSchemas() {}

  /** A stripped copy of {@code schema}; non-objects are returned as they are. */
  static JsonNode strip(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return schema;
    }
    ObjectNode out = F.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (UNSUPPORTED.contains(key)) {
        continue;
      }
      if (SCHEMA_MAPS.contains(key) && value.isObject()) {
        ObjectNode map = out.putObject(key);
        value.fields().forEachRemaining(p -> map.set(p.getKey(), strip(p.getValue())));
      } else if (SUBSCHEMAS.contains(key) && value.isArray()) {
        ArrayNode list = out.putArray(key);
        value.forEach(s -> list.add(strip(s)));
      } else if (SUBSCHEMAS.contains(key)) {
        out.set(key, strip(value));
      } else {
        out.set(key, value.deepCopy());
      }
    }
    return out;
  }

  /**
   * Function parameters for a declaration, or null to leave them out: Gemini rejects an object
   * schema without properties ("should be non-empty for OBJECT type"), which is how OpenAI clients
   * declare a function that takes no arguments.
   */
  static JsonNode parameters(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return null;
    }
    JsonNode props = schema.get("properties");
    boolean noProperties = props == null || (props.isObject() && props.isEmpty());
    if (noProperties && "object".equals(schema.path("type").asText()) && !schema.has("anyOf")
        && !schema.has("oneOf") && !schema.has("allOf")) {
      return null;
    }
    return strip(schema);
  }
}
