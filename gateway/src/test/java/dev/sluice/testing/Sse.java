package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Test-side parsing of an SSE body into its {@code data:} payloads. */
public final class Sse {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Sse() {}

  public static List<String> dataLines(String body) {
    List<String> out = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          out.add(line.substring(6));
        }
      }
    }
    return out;
  }

  public static JsonNode json(String data) {
    try {
      return MAPPER.readTree(data);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + data, e);
    }
  }
}
