package dev.sluice.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.util.List;

/** JSON text columns: validation on the way in, typed lists both ways. */
final class JsonText {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<List<Integer>> INTS = new TypeReference<>() {};

  private JsonText() {}

  static void requireObject(String field, String json) {
    if (json == null) {
      return;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(field + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(field + " must be a JSON object");
    }
  }

  static String write(List<?> list) {
    if (list == null) {
      return null;
    }
    try {
      return Json.MAPPER.writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings or numbers always serializes", e);
    }
  }

  static List<String> strings(String json) {
    return read(json, STRINGS);
  }

  static List<Integer> ints(String json) {
    return read(json, INTS);
  }

  private static <T> List<T> read(String json, TypeReference<List<T>> type) {
    if (json == null) {
      return null;
    }
    try {
      return List.copyOf(Json.MAPPER.readValue(json, type));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON list is malformed: " + json, e);
    }
  }
}
