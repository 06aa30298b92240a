package dev.sluice.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of optional JSON fields that fail with a {@link WireFormatException} naming the field. */
final class JsonFields {
  private JsonFields() {}

  static JsonNode field(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    return v == null || v.isNull() ? null : v;
  }

  static String string(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new WireFormatException(path, "'" + path + "' must be a string");
    }
    return v.textValue();
  }

  static String requiredString(JsonNode obj, String name, String path) {
    String v = string(obj, name, path);
    if (v == null) {
      throw new WireFormatException(path, "'" + path + "' is required");
    }
    return v;
  }

  static Boolean bool(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new WireFormatException(path, "'" + path + "' must be a boolean");
    }
    return v.booleanValue();
  }

  static Integer integer(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new WireFormatException(path, "'" + path + "' must be an integer");
    }
    return v.intValue();
  }

  static Long longValue(JsonNode obj, String name) {
    JsonNode v = field(obj, name);
    return v == null || !v.isNumber() ? null : v.longValue();
  }

  static Double number(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw new WireFormatException(path, "'" + path + "' must be a number");
    }
    return v.doubleValue();
  }

  static JsonNode object(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isObject()) {
      throw new WireFormatException(path, "'" + path + "' must be an object");
    }
    return v;
  }

  static JsonNode array(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isArray()) {
      throw new WireFormatException(path, "'" + path + "' must be an array");
    }
    return v;
  }

  /** {@code stop}: a string or an array of strings. */
  static List<String> stringOrArray(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return List.of(v.textValue());
    }
    if (!v.isArray()) {
      throw new WireFormatException(path, "'" + path + "' must be a string or an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw new WireFormatException(path, "'" + path + "[" + i + "]' must be a string");
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }
}
