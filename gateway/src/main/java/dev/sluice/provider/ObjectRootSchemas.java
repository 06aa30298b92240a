package dev.sluice.provider;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.WireFormatException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a tool's parameters schema an object at its root, as Anthropic ("input_schema does not
 * support oneOf, allOf, or anyOf at the top level", {@code type: object} required) and OpenAI
 * ("schema must be a JSON Schema of 'type: \"object\"'") demand, where other providers and MCP
 * servers send unions and untyped roots:
 *
 * <ul>
 *   <li>a root without {@code type} gets {@code type: object};</li>
 *   <li>a root {@code allOf} of objects is merged: properties and required names united;</li>
 *   <li>a root {@code anyOf}/{@code oneOf} of objects is flattened into one object with every
 *       branch's properties, of which only those every branch requires stay required — it accepts
 *       whatever a branch accepted;</li>
 *   <li>a root of another type, or a union with a branch that is not an object, is refused.</li>
 * </ul>
 *
 * Everything below the root (and {@code $defs}, which branches may {@code $ref}) is kept as it is.
 * Pure: the input is never modified; an unchanged schema is returned as the same instance.
 */
public final class ObjectRootSchemas {
  private static final List<String> UNIONS = List.of("allOf", "anyOf", "oneOf");

  private ObjectRootSchemas() {}

  /**
   * @param param the request field, for the error ({@code tools[0].function.parameters})
   * @param subject what the schema belongs to, for the error ({@code tool 'search'})
   * @param provider the provider's name, for the error
   * @return {@code schema} itself when it already has an object root, else a rewritten copy
   * @throws WireFormatException when the root cannot be made an object
   */
  public static JsonNode adapt(JsonNode schema, String param, String subject, String provider) {
    if (!schema.isObject()) {
      throw refuse(param, subject + ": the parameters schema must be a JSON object", provider);
    }
    String union = null;
    for (String key : UNIONS) {
      if (schema.has(key)) {
        if (union != null) {
          throw refuse(param, subject + ": its parameters schema combines " + union + " and " + key
              + " at the top level", provider);
        }
        union = key;
      }
    }
    JsonNode type = schema.get("type");
    if (type != null && !"object".equals(type.asText(null))) {
      throw refuse(param, subject + ": its parameters schema has type " + type + " at the top level; it must be an object",
          provider);
    }
    if (union == null && type != null) {
      return schema;
    }
    ObjectNode out = ((ObjectNode) schema).deepCopy();
    out.put("type", "object");
    if (union != null) {
      out.remove(union);
      flatten(out, schema, union, param, subject, provider);
    }
    return out;
  }

  private static void flatten(ObjectNode out, JsonNode root, String union, String param, String subject, String provider) {
    JsonNode branches = root.get(union);
    if (!branches.isArray() || branches.isEmpty()) {
      throw refuse(param, subject + ": its top-level " + union + " must be a non-empty array", provider);
    }
    ObjectNode props = out.has("properties") && out.get("properties").isObject()
        ? (ObjectNode) out.get("properties") : out.putObject("properties");
    Set<String> required = new LinkedHashSet<>();
    out.path("required").forEach(n -> required.add(n.asText()));
    Set<String> common = null;
    for (JsonNode b : branches) {
      JsonNode branch = resolve(root, b);
      boolean object = branch != null && branch.isObject()
          && ("object".equals(branch.path("type").asText()) || (!branch.has("type") && branch.has("properties")));
      if (!object || UNIONS.stream().anyMatch(branch::has)) {
        throw refuse(param, subject + ": its parameters schema is a top-level " + union
            + " with a branch that is not a plain object schema; it must be an object", provider);
      }
      branch.path("properties").fields().forEachRemaining(p -> {
        if (!props.has(p.getKey())) {
          props.set(p.getKey(), p.getValue().deepCopy());
        }
      });
      Set<String> names = new LinkedHashSet<>();
      branch.path("required").forEach(n -> names.add(n.asText()));
      if ("allOf".equals(union)) {
        required.addAll(names);
      } else if (common == null) {
        common = names;
      } else {
        common.retainAll(names);
      }
    }
    if (common != null) {
      required.addAll(common);
    }
    out.remove("required");
    if (!required.isEmpty()) {
      ArrayNode r = out.putArray("required");
      new ArrayList<>(required).forEach(r::add);
    }
  }

  /** A branch, or the local definition it {@code $ref}s; null when that cannot be found. */
  private static JsonNode resolve(JsonNode root, JsonNode branch) {
    JsonNode ref = branch.get("$ref");
    if (ref == null) {
      return branch;
    }
    String text = ref.asText("");
    if (!text.startsWith("#/")) {
      return null;
    }
    try {
      JsonNode target = root.at(JsonPointer.compile(text.substring(1)));
      return target.isMissingNode() ? null : target;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static WireFormatException refuse(String param, String message, String provider) {
    return new WireFormatException(param, "tool " + message + "; provider " + provider + " cannot take it");
  }
}
