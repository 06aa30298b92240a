package dev.sluice.provider.gemini;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.WireFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a JSON Schema (what OpenAI and Anthropic clients send) into the OpenAPI 3.0 subset
 * Gemini's {@code Schema} accepts, for function parameters and {@code responseSchema}. Gemini
 * parses schemas as protobuf: any keyword it has no field for fails the whole request with 400
 * ("Unknown name \"additionalProperties\""). So:
 *
 * <ul>
 *   <li>local {@code $ref}s ({@code #}, {@code #/$defs/X}, {@code #/definitions/X}, any JSON
 *       pointer into the schema) are inlined and {@code $defs}/{@code definitions} removed; a
 *       recursive or external {@code $ref} cannot be expressed and is refused;</li>
 *   <li>{@code type: [T, "null"]} becomes {@code type: T, nullable: true}; several non-null types
 *       become {@code anyOf}; a {@code {"type":"null"}} branch of {@code anyOf}/{@code oneOf} becomes
 *       {@code nullable}, and a single remaining branch is merged into its parent;</li>
 *   <li>{@code oneOf} becomes {@code anyOf}; {@code allOf} is merged into one schema;</li>
 *   <li>{@code const} becomes a one-value {@code enum}; enum values become strings (Gemini's
 *       {@code enum} is a list of strings), a {@code null} value becomes {@code nullable};</li>
 *   <li>a {@code format} Gemini does not support (it takes {@code enum}/{@code date-time} for
 *       strings, {@code float}/{@code double}, {@code int32}/{@code int64}) moves into the
 *       description; {@code examples} becomes {@code example}; tuple {@code items}/{@code
 *       prefixItems} become {@code items: {anyOf: ...}}; an array without {@code items} gets
 *       {@code items: {}} (Gemini requires it); empty-string enum values are dropped;</li>
 *   <li>{@code required} names without a property are dropped (Gemini refuses them);</li>
 *   <li>every other keyword ({@code additionalProperties}, {@code $schema}, {@code strict},
 *       {@code patternProperties}, {@code not}, {@code if}, {@code exclusiveMinimum} ...) is
 *       removed.</li>
 * </ul>
 *
 * Only keywords are touched: a property <em>named</em> {@code strict} or {@code $ref} stays. The input
 * is never modified (it belongs to the immutable canonical request); each change is recorded.
 */
final class GeminiSchemas {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** The fields of Gemini's Schema message that are copied as they are. */
  private static final Set<String> KEPT = Set.of("title", "description", "minItems", "maxItems",
      "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "minimum", "maximum", "example",
      "default", "propertyOrdering");
  private static final Map<String, Set<String>> FORMATS = Map.of("string", Set.of("enum", "date-time"),
      "number", Set.of("float", "double"), "integer", Set.of("int32", "int64"));
  /** Inlining can multiply a schema; past this many nodes the schema is refused, not sent. */
  static final int MAX_NODES = 5_000;

  private final JsonNode root;
  private final String param;
  private final String subject;
  private final Set<String> changes;
  private int nodes;

  private GeminiSchemas(JsonNode root, String param, String subject, Set<String> changes) {
    this.root = root;
    this.param = param;
    this.subject = subject;
    this.changes = changes;
  }

  /**
   * Function parameters for a declaration, or null to leave them out: Gemini rejects an object
   * schema without properties ("should be non-empty for OBJECT type"), which is how OpenAI clients
   * declare a function that takes no arguments.
   *
   * @param param the request field, for the error ({@code tools[0].function.parameters})
   * @param subject what the schema belongs to, for the error ({@code tool 'search'})
   * @param changes receives a short description of each rewrite
   * @throws WireFormatException when the schema cannot be expressed for Gemini
   */
  static JsonNode parameters(JsonNode schema, String param, String subject, Set<String> changes) {
    if (schema == null || !schema.isObject()) {
      return null;
    }
    ObjectNode out = translate(schema, param, subject, changes);
    JsonNode props = out.get("properties");
    boolean noProperties = props == null || (props.isObject() && props.isEmpty());
    if (noProperties && "object".equals(out.path("type").asText()) && !out.has("anyOf")) {
      return null;
    }
    return out;
  }

  /** A translated copy of {@code schema} (an object); see the class comment. */
  static ObjectNode translate(JsonNode schema, String param, String subject, Set<String> changes) {
    return new GeminiSchemas(schema, param, subject, changes).convert(schema, new ArrayDeque<>());
  }

  private ObjectNode convert(JsonNode node, Deque<String> refs) {
    if (++nodes > MAX_NODES) {
      throw refuse("is too large once its $refs are inlined (more than " + MAX_NODES + " schema nodes)");
    }
    if (node.isBoolean() && node.booleanValue()) {
      changes.add("true schema → {}");
      return F.objectNode();
    }
    if (!node.isObject()) {
      throw refuse("holds " + node + " where a schema object must be");
    }
    if (node.has("$ref")) {
      return inline((ObjectNode) node, refs);
    }
    ObjectNode out = F.objectNode();
    boolean nullable = node.path("nullable").asBoolean(false);
    List<ObjectNode> branches = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      switch (key) {
        case "nullable", "required" -> { } // settled below
        case "type" -> nullable |= type(v, out);
        case "properties" -> {
          if (v.isObject()) {
            ObjectNode props = out.putObject("properties");
            v.fields().forEachRemaining(p -> props.set(p.getKey(), convert(p.getValue(), refs)));
          }
        }
        case "items" -> {
          if (v.isArray()) {
            changes.add("tuple items → items.anyOf");
            out.set("items", union(v, refs));
          } else {
            out.set("items", convert(v, refs));
          }
        }
        case "prefixItems" -> {
          changes.add("prefixItems → items.anyOf");
          if (!node.has("items") && v.isArray()) {
            out.set("items", union(v, refs));
          }
        }
        case "anyOf", "oneOf" -> {
          if ("oneOf".equals(key)) {
            changes.add("oneOf → anyOf");
          }
          for (JsonNode b : v) {
            ObjectNode converted = convert(b, refs);
            if (isNullOnly(converted)) {
              changes.add("null branch → nullable");
              nullable = true;
            } else {
              branches.add(converted);
            }
          }
        }
        case "allOf" -> {
          changes.add("allOf merged");
          for (JsonNode b : v) {
            merge(out, convert(b, refs));
          }
        }
        case "const" -> {
          changes.add("const → enum");
          if (v.isNull()) {
            nullable = true;
          } else {
            out.putArray("enum").add(v.isTextual() ? v.textValue() : v.toString());
          }
        }
        case "enum" -> nullable |= enumValues(v, out);
        case "format" -> out.set("format", v.deepCopy()); // checked against the type below
        case "examples" -> {
          changes.add("examples → example");
          if (v.isArray() && !v.isEmpty() && !node.has("example")) {
            out.set("example", v.get(0).deepCopy());
          }
        }
        default -> {
          if (KEPT.contains(key)) {
            out.set(key, v.deepCopy());
          } else {
            changes.add("removed " + key);
          }
        }
      }
    }
    if (branches.size() == 1) {
      changes.add("single anyOf branch merged");
      merge(out, branches.get(0));
    } else if (!branches.isEmpty()) {
      out.putArray("anyOf").addAll(branches);
    }
    format(out);
    if ("array".equals(out.path("type").asText()) && !out.has("items")) {
      changes.add("items {} added"); // Gemini: "items: missing field"; {} keeps "any element"
      out.putObject("items");
    }
    if (out.has("enum") && out.get("enum").isEmpty()) {
      out.remove("enum");
    }
    if (out.has("enum") && !out.has("type")) {
      out.put("type", "string");
    }
    if (!out.has("type") && out.has("properties")) {
      out.put("type", "object");
    }
    required(node.get("required"), out);
    if (nullable) {
      out.put("nullable", true);
    }
    return out;
  }

  /** A {@code $ref}'s target with the referring schema's other keywords over it, translated. */
  private ObjectNode inline(ObjectNode node, Deque<String> refs) {
    String ref = node.get("$ref").asText();
    if (refs.contains(ref)) {
      throw refuse("is recursive ($ref '" + ref + "' refers back to a schema that contains it);"
          + " Gemini cannot express recursive schemas");
    }
    if (!ref.startsWith("#")) {
      throw refuse("has an external $ref '" + ref + "'; only references within the schema can be inlined for Gemini");
    }
    JsonNode target;
    try {
      target = ref.length() == 1 ? root : root.at(JsonPointer.compile(ref.substring(1)));
    } catch (IllegalArgumentException e) {
      target = null;
    }
    if (target == null || target.isMissingNode() || !(target.isObject() || target.isBoolean())) {
      throw refuse("has a $ref '" + ref + "' that points to nothing in the schema");
    }
    changes.add("inlined $ref");
    JsonNode merged = target;
    if (node.size() > 1 && target.isObject()) {
      ObjectNode m = ((ObjectNode) target).deepCopy();
      node.fields().forEachRemaining(f -> {
        if (!"$ref".equals(f.getKey())) {
          m.set(f.getKey(), f.getValue());
        }
      });
      merged = m;
    }
    if (target == root) {
      ObjectNode m = merged == root ? ((ObjectNode) root).deepCopy() : (ObjectNode) merged;
      m.remove("$defs");
      m.remove("definitions");
      merged = m;
    }
    refs.push(ref);
    try {
      return convert(merged, refs);
    } finally {
      refs.pop();
    }
  }

  /** Sets the type; @return whether the type list allowed null. */
  private boolean type(JsonNode v, ObjectNode out) {
    if (!v.isArray()) {
      out.set("type", v.deepCopy());
      return false;
    }
    changes.add("type list → nullable/anyOf");
    List<String> types = new ArrayList<>();
    boolean nullable = false;
    for (JsonNode t : v) {
      if ("null".equals(t.asText())) {
        nullable = true;
      } else {
        types.add(t.asText());
      }
    }
    if (types.size() == 1) {
      out.put("type", types.get(0));
    } else if (types.size() > 1) {
      ArrayNode any = out.putArray("anyOf");
      types.forEach(t -> any.addObject().put("type", t));
    } else if (nullable) {
      out.put("type", "null");
      nullable = false;
    }
    return nullable;
  }

  /** Copies enum values as strings; @return whether null was one of them. */
  private boolean enumValues(JsonNode v, ObjectNode out) {
    if (!v.isArray()) {
      changes.add("removed enum");
      return false;
    }
    ArrayNode values = out.putArray("enum");
    boolean nullable = false;
    for (JsonNode value : v) {
      if (value.isNull()) {
        nullable = true;
        changes.add("null enum value → nullable");
      } else if (value.isTextual() && value.textValue().isEmpty()) {
        changes.add("empty enum value removed"); // Gemini: "enum[0]: cannot be empty"
      } else if (value.isTextual()) {
        values.add(value.textValue());
      } else {
        changes.add("enum values → strings");
        values.add(value.toString());
      }
    }
    return nullable;
  }

  /** Drops a format Gemini refuses for the type, keeping it readable in the description. */
  private void format(ObjectNode out) {
    JsonNode format = out.get("format");
    if (format == null) {
      return;
    }
    Set<String> allowed = FORMATS.getOrDefault(out.path("type").asText(), Set.of());
    if (format.isTextual() && allowed.contains(format.textValue())) {
      return;
    }
    out.remove("format");
    changes.add("format " + format.asText() + " → description");
    String description = out.path("description").asText("");
    out.put("description", description.isEmpty() ? "Format: " + format.asText()
        : description + " (format: " + format.asText() + ")");
  }

  /** Keeps the required names that have a property; Gemini refuses any other. */
  private void required(JsonNode required, ObjectNode out) {
    if (required == null || !required.isArray()) {
      return;
    }
    JsonNode props = out.path("properties");
    ArrayNode kept = F.arrayNode();
    for (JsonNode name : required) {
      if (props.has(name.asText())) {
        kept.add(name.asText());
      }
    }
    if (kept.size() != required.size()) {
      changes.add("required names without a property removed");
    }
    ArrayNode existing = out.withArray("required");
    for (JsonNode name : kept) {
      if (!contains(existing, name.asText())) {
        existing.add(name);
      }
    }
    if (existing.isEmpty()) {
      out.remove("required");
    }
  }

  /** An array of schemas as one {@code anyOf} (or the schema itself when there is one). */
  private ObjectNode union(JsonNode schemas, Deque<String> refs) {
    List<ObjectNode> converted = new ArrayList<>();
    schemas.forEach(s -> converted.add(convert(s, refs)));
    if (converted.size() == 1) {
      return converted.get(0);
    }
    ObjectNode any = F.objectNode();
    any.putArray("anyOf").addAll(converted);
    return any;
  }

  /** Merges {@code from} into {@code into}: properties and required are united, other keys kept where set. */
  private static void merge(ObjectNode into, ObjectNode from) {
    from.fields().forEachRemaining(f -> {
      String key = f.getKey();
      JsonNode v = f.getValue();
      if ("properties".equals(key) && into.get(key) instanceof ObjectNode props) {
        v.fields().forEachRemaining(p -> {
          if (!props.has(p.getKey())) {
            props.set(p.getKey(), p.getValue());
          }
        });
      } else if ("required".equals(key) && into.get(key) instanceof ArrayNode req) {
        v.forEach(n -> {
          if (!contains(req, n.asText())) {
            req.add(n);
          }
        });
      } else if (!into.has(key)) {
        into.set(key, v);
      }
    });
  }

  private static boolean contains(ArrayNode array, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNullOnly(ObjectNode schema) {
    return "null".equals(schema.path("type").asText()) && schema.size() <= 2 && !schema.has("properties")
        && (schema.size() == 1 || schema.has("description"));
  }

  private WireFormatException refuse(String reason) {
    return new WireFormatException(param, subject + " " + reason + "; provider gemini cannot take it");
  }
}
