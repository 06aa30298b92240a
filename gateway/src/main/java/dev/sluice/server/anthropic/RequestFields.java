package dev.sluice.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ApiError;
import dev.sluice.pipeline.FrontDoor.FrontDoorException;

/**
 * Typed reads of request fields that fail with a 400 naming the field by Anthropic's dotted path
 * ({@code messages.1.content.0.type}); the message starts with that path, as Anthropic's do.
 */
final class RequestFields {
  private RequestFields() {}

  static FrontDoorException invalid(String path, String message) {
    return new FrontDoorException(ApiError.invalidRequest(path, path == null ? message : path + ": " + message));
  }

  /** The field's value; null when absent or JSON null. */
  static JsonNode field(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    return v == null || v.isNull() ? null : v;
  }

  static JsonNode required(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      throw invalid(path, "Field required");
    }
    return v;
  }

  static String string(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(path, "Input should be a valid string");
    }
    return v.textValue();
  }

  static String requiredString(JsonNode obj, String name, String path) {
    String v = string(obj, name, path);
    if (v == null) {
      throw invalid(path, "Field required");
    }
    return v;
  }

  static Boolean bool(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw invalid(path, "Input should be a valid boolean");
    }
    return v.booleanValue();
  }

  static Integer integer(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid(path, "Input should be a valid integer");
    }
    return v.intValue();
  }

  static Double number(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw invalid(path, "Input should be a valid number");
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      // 1e400 is a JSON number but no double: forwarded, it would be re-encoded as "Infinity".
      throw invalid(path, "Input should be a finite number");
    }
    return d;
  }

  static JsonNode object(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isObject()) {
      throw invalid(path, "Input should be a valid dictionary");
    }
    return v;
  }

  static JsonNode requiredObject(JsonNode obj, String name, String path) {
    JsonNode v = object(obj, name, path);
    if (v == null) {
      throw invalid(path, "Field required");
    }
    return v;
  }

  static JsonNode array(JsonNode obj, String name, String path) {
    JsonNode v = field(obj, name);
    if (v != null && !v.isArray()) {
      throw invalid(path, "Input should be a valid list");
    }
    return v;
  }

  /** A content block: an object with a string {@code type}; returns the type. */
  static String blockType(JsonNode block, String path) {
    if (block == null || !block.isObject()) {
      throw invalid(path, "Input should be a valid dictionary or object to extract fields from");
    }
    return requiredString(block, "type", path + ".type");
  }

  static FrontDoorException unexpectedTag(String path, String type, String expected) {
    return invalid(path, "Input tag '" + type + "' found using 'type' does not match any of the expected tags: "
        + expected);
  }
}
