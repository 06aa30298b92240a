package dev.sluice.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of optional JSON fields that fail with a {@link WireFormatException} naming the field.
 * A field is named by its parent's path and its own name ({@code messages[0]} + {@code role}); the
 * full path is only built for an error, because these reads run for every field of every request
 * and answer and concatenating paths up front was most of what decoding a message allocated.
 */
final class JsonFields {
  private JsonFields() {}

  /** {@code parent.name}, or {@code name} at the top level ({@code parent} null). */
  static String path(String parent, String name) {
    return parent == null ? name : parent + "." + name;
  }

  /** The error for field {@code parent.name}: {@code 'path<rest>}, naming the field as its param. */
  private static WireFormatException error(String parent, String name, String rest) {
    String path = path(parent, name);
    return new WireFormatException(path, "'" + path + rest);
  }

  static JsonNode field(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    return v == null || v.isNull() ? null : v;
  }

  static String string(JsonNode obj, String name, String parent) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw error(parent, name, "' must be a string");
    }
    return v.textValue();
  }

  static String requiredString(JsonNode obj, String name, String parent) {
    String v = string(obj, name, parent);
    if (v == null) {
      throw error(parent, name, "' is required");
    }
    return v;
  }

  static Boolean bool(JsonNode obj, String name, String parent) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw error(parent, name, "' must be a boolean");
    }
    return v.booleanValue();
  }

  static Integer integer(JsonNode obj, String name, String parent) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw error(parent, name, "' must be an integer");
    }
    return v.intValue();
  }

  static Long longValue(JsonNode obj, String name) {
    JsonNode v = field(obj, name);
    return v == null || !v.isNumber() ? null : v.longValue();
  }

  static Double number(JsonNode obj, String name, String parent) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw error(parent, name, "' must be a number");
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      // 1e400 is a JSON number but no double: forwarded, it would be re-encoded as "Infinity".
      throw error(parent, name, "' must be a finite number");
    }
    return d;
  }

  static JsonNode object(JsonNode obj, String name, String parent) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isObject()) {
      throw error(parent, name, "' must be an object");
    }
    return v;
  }

  static JsonNode array(JsonNode obj, String name, String parent) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isArray()) {
      throw error(parent, name, "' must be an array");
    }
    return v;
  }

  /** {@code stop}: a string or an array of strings. */
  static List<String> stringOrArray(JsonNode obj, String name, String parent) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return List.of(v.textValue());
    }
    if (!v.isArray()) {
      throw error(parent, name, "' must be a string or an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw error(parent, name, "[" + i + "]' must be a string");
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }
}
