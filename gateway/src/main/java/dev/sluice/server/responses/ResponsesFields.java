package dev.sluice.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ApiError;
import dev.sluice.pipeline.FrontDoor.FrontDoorException;

/**
 * Typed reads of Responses request fields that fail with a 400 in OpenAI's shape, {@code param}
 * being the field's path ({@code input[2].content[0].type}) as OpenAI names it.
 */
final class ResponsesFields {
  private ResponsesFields() {}

  static FrontDoorException invalid(String param, String message) {
    return new FrontDoorException(ApiError.invalidRequest(param, message));
  }

  /** The field's value; null when absent or JSON null. */
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
      throw invalid(path, "Invalid type for '" + path + "': expected a string, but got " + kind(v) + " instead.");
    }
    return v.textValue();
  }

  static String requiredString(JsonNode obj, String name, String path) {
    String v = string(obj, name, path);
    if (v == null) {
      throw invalid(path, "Missing required parameter: '" + path + "'.");
    }
    return v;
  }

  static Boolean bool(JsonNode obj, String name) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw invalid(name, "Invalid type for '" + name + "': expected a boolean, but got " + kind(v) + " instead.");
    }
    return v.booleanValue();
  }

  static Integer positiveInt(JsonNode obj, String name) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid(name, "Invalid type for '" + name + "': expected an integer, but got " + kind(v) + " instead.");
    }
    if (v.intValue() < 1) {
      throw invalid(name, "Invalid '" + name + "': integer below minimum value. Expected a value >= 1, but got "
          + v.intValue() + " instead.");
    }
    return v.intValue();
  }

  static Double number(JsonNode obj, String name, double min, double max) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw invalid(name, "Invalid type for '" + name + "': expected a number, but got " + kind(v) + " instead.");
    }
    double d = v.doubleValue();
    if (d < min || d > max) {
      throw invalid(name, "Invalid '" + name + "': expected a value between " + min + " and " + max + ", but got "
          + v.asText() + " instead.");
    }
    return d;
  }

  static JsonNode object(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isObject()) {
      throw invalid(path, "Invalid type for '" + path + "': expected an object, but got " + kind(v) + " instead.");
    }
    return v;
  }

  static JsonNode array(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isArray()) {
      throw invalid(path, "Invalid type for '" + path + "': expected an array, but got " + kind(v) + " instead.");
    }
    return v;
  }

  static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    if (v.isArray()) {
      return "an array";
    }
    return v.isObject() ? "an object" : "null";
  }
}
