package dev.sluice.switching.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Compares a candidate's answer with the primary's. Pure; thread-safe. */
public final class AnswerComparator {
  private AnswerComparator() {}

  /**
   * Compares what {@code compare} asks for. Nothing is compared when either side failed (that is
   * counted as an error, not a disagreement).
   *
   * @param schema the request's {@code response_format.json_schema.schema}; null when it had none
   * @param jsonMode the request asked for JSON ({@code json_object} or {@code json_schema})
   */
  public static ShadowComparison compare(ShadowAnswer primary, ShadowAnswer candidate, Set<String> compare,
      boolean jsonMode, JsonNode schema) {
    if (primary == null || candidate == null) {
      return ShadowComparison.NONE;
    }
    Boolean exact = compare.contains("exact") ? exact(primary, candidate) : null;
    Boolean json = null;
    Boolean schemaOk = null;
    if (compare.contains("json") || jsonMode) {
      JsonNode parsed = parse(candidate.text());
      json = parsed != null;
      if (schema != null) {
        schemaOk = parsed != null && JsonSchemaSubset.matches(schema, parsed);
      }
    }
    Boolean tools = compare.contains("tools") && (!primary.toolCalls().isEmpty() || !candidate.toolCalls().isEmpty())
        ? toolsAgree(primary.toolCalls(), candidate.toolCalls()) : null;
    return new ShadowComparison(exact, json, schemaOk, tools, null);
  }

  /** Same text and the same tool calls (arguments as written). */
  public static boolean exact(ShadowAnswer a, ShadowAnswer b) {
    return a.text().equals(b.text()) && a.toolCalls().equals(b.toolCalls());
  }

  /** The text as JSON, or null when it is not JSON (an empty text is not). */
  public static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      JsonNode n = Json.parse(text.getBytes(StandardCharsets.UTF_8));
      return n == null || n.isMissingNode() ? null : n;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Same tool names in the same order, and arguments equal as parsed JSON (key order and spacing
   * do not matter; arguments that are not JSON are compared as text).
   */
  public static boolean toolsAgree(List<ShadowAnswer.ToolUse> a, List<ShadowAnswer.ToolUse> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      ShadowAnswer.ToolUse x = a.get(i);
      ShadowAnswer.ToolUse y = b.get(i);
      if (!java.util.Objects.equals(x.name(), y.name())) {
        return false;
      }
      JsonNode px = parse(x.arguments());
      JsonNode py = parse(y.arguments());
      boolean same = px != null && py != null ? px.equals(py)
          : java.util.Objects.equals(blankToEmpty(x.arguments()), blankToEmpty(y.arguments()));
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static String blankToEmpty(String s) {
    return s == null || s.isBlank() ? "" : s.strip();
  }

  /** Cosine similarity of two vectors of the same length; NaN when either is all zeros or they differ in length. */
  public static double cosine(double[] a, double[] b) {
    if (a.length != b.length || a.length == 0) {
      return Double.NaN;
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    if (na == 0 || nb == 0) {
      return Double.NaN;
    }
    return Math.max(-1.0, Math.min(1.0, dot / (Math.sqrt(na) * Math.sqrt(nb))));
  }
}
