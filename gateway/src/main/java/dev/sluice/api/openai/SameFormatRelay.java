package dev.sluice.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Same-format relay of a chat request (OpenAI client → OpenAI-format provider): the client's own
 * body is sent on with only {@code model} replaced, instead of decoding it into the canonical
 * records and encoding those again. Only bodies that {@link OpenAiRequestCodec#encode} would send
 * unchanged apart from {@code model} (and the order of fields, and the form of numbers) qualify:
 * {@link #lossless} says which; the rest keep the decode → encode path.
 */
public final class SameFormatRelay {
  private static final Set<String> MESSAGE = Set.of("role", "content", "name", "tool_calls", "tool_call_id",
      "reasoning_content");
  private static final Set<String> TOOL_CALL = Set.of("id", "type", "function");
  private static final Set<String> CALLED = Set.of("name", "arguments");
  private static final Set<String> TEXT_PART = Set.of("type", "text");
  private static final Set<String> IMAGE_PART = Set.of("type", "image_url");
  private static final Set<String> IMAGE = Set.of("url", "detail");
  private static final Set<String> TOOL = Set.of("type", "function");
  private static final Set<String> FUNCTION = Set.of("name", "description", "parameters", "strict");
  private static final Set<String> FORMAT = Set.of("type", "json_schema");
  private static final byte[] MODEL_KEY = "\"model\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STREAM_OPTIONS_KEY = "\"stream_options\"".getBytes(StandardCharsets.US_ASCII);
  /** Inserted after a stream's model when it has no stream_options: what the encoder asks of a stream. */
  private static final byte[] ASK_USAGE = ",\"stream_options\":{\"include_usage\":true}"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NOTHING = new byte[0];

  private SameFormatRelay() {}

  /**
   * Whether {@code body} (already accepted by {@link OpenAiRequestCodec#decode}) is sent upstream as
   * the encoder would send it once {@link #withModel} has patched it: no field the encoder drops,
   * defaults, converts or writes as null, and on a stream either no {@code stream_options} (the patch
   * adds {@code include_usage: true}, as the encoder does: Sluice needs a stream's usage) or exactly
   * {@code include_usage: true}. Walks the tree once and allocates nothing.
   */
  public static boolean lossless(JsonNode body) {
    boolean stream = body.path("stream").asBoolean(false);
    Iterator<Map.Entry<String, JsonNode>> it = body.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      boolean ok = switch (e.getKey()) {
        case "model", "user" -> v.isTextual();
        case "messages" -> messages(v);
        case "stream", "parallel_tool_calls" -> v.isBoolean();
        case "stream_options" -> stream && v.isObject() && v.size() == 1 && v.path("include_usage").asBoolean(false);
        case "max_tokens", "max_completion_tokens", "n" -> v.isIntegralNumber();
        case "temperature", "top_p" -> v.isNumber();
        case "stop" -> v.isTextual() || v.isArray();
        case "tools" -> tools(v);
        case "tool_choice" -> v.isTextual() || toolChoice(v);
        case "response_format" -> v.isObject() && only(v, FORMAT) && v.path("type").isTextual()
            && (!v.has("json_schema") || v.get("json_schema").isObject());
        default -> true; // carried as-is by the encoder (extra)
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean messages(JsonNode msgs) {
    for (JsonNode m : msgs) {
      if (!only(m, MESSAGE) || !m.has("content") || !text(m, "name") || !text(m, "tool_call_id")
          || !text(m, "reasoning_content")) {
        return false;
      }
      JsonNode content = m.get("content");
      if (content.isArray() && !parts(content)) {
        return false;
      }
      JsonNode calls = m.get("tool_calls");
      if (calls != null) {
        if (!calls.isArray()) {
          return false;
        }
        for (JsonNode c : calls) {
          JsonNode fn = c.path("function");
          if (!only(c, TOOL_CALL) || !c.path("type").isTextual() || !text(c, "id") || !only(fn, CALLED)
              || !fn.path("arguments").isTextual()) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static boolean parts(JsonNode parts) {
    for (JsonNode p : parts) {
      String type = p.path("type").asText("");
      if (type.equals("text") && !only(p, TEXT_PART)) {
        return false;
      }
      if (type.equals("image_url")) {
        JsonNode img = p.path("image_url");
        if (!only(p, IMAGE_PART) || !img.isObject() || !only(img, IMAGE) || !text(img, "detail")) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean tools(JsonNode tools) {
    if (!tools.isArray()) {
      return false;
    }
    for (JsonNode t : tools) {
      JsonNode fn = t.path("function");
      if (!only(t, TOOL) || !t.path("type").isTextual() || !only(fn, FUNCTION) || !text(fn, "description")
          || (fn.has("parameters") && !fn.get("parameters").isObject())
          || (fn.has("strict") && !fn.get("strict").isBoolean())) {
        return false;
      }
    }
    return true;
  }

  private static boolean toolChoice(JsonNode tc) {
    JsonNode fn = tc.path("function");
    return tc.size() == 2 && "function".equals(tc.path("type").textValue()) && fn.size() == 1
        && fn.path("name").isTextual();
  }

  /** An object whose fields are all in {@code allowed}. */
  private static boolean only(JsonNode o, Set<String> allowed) {
    if (!o.isObject()) {
      return false;
    }
    Iterator<String> names = o.fieldNames();
    while (names.hasNext()) {
      if (!allowed.contains(names.next())) {
        return false;
      }
    }
    return true;
  }

  /** Absent, or a string (a JSON null the encoder would leave out). */
  private static boolean text(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isTextual();
  }

  /**
   * {@code body} with the string value of its top-level {@code model} replaced by {@code model} and,
   * for a {@code stream} without top-level {@code stream_options}, {@code "stream_options":
   * {"include_usage":true}} added after it (where the encoder asks for it); null when that cannot be
   * done by a byte patch (no such field or more than one, a top-level key written with escapes, a
   * model name that would need escaping), and the caller encodes instead.
   */
  public static Buffer withModel(Buffer body, String model, boolean stream) {
    if (!plain(model)) {
      return null;
    }
    BufferBytes range = BufferBytes.of(body);
    byte[] bytes = range.bytes();
    int from = range.from();
    int length = range.length();
    TopLevel top = TopLevel.scan(bytes, from, from + length);
    if (top == null) {
      return null;
    }
    byte[] name = model.getBytes(StandardCharsets.US_ASCII);
    byte[] usage = stream && !top.streamOptions() ? ASK_USAGE : NOTHING;
    byte[] out = new byte[length - (top.modelEnd() - top.modelStart()) + name.length + 2 + usage.length];
    int n = top.modelStart() - from;
    System.arraycopy(bytes, from, out, 0, n);
    out[n++] = '"';
    System.arraycopy(name, 0, out, n, name.length);
    n += name.length;
    out[n++] = '"';
    System.arraycopy(usage, 0, out, n, usage.length);
    n += usage.length;
    System.arraycopy(bytes, top.modelEnd(), out, n, from + length - top.modelEnd());
    return BufferBytes.wrap(out); // a fresh array: no second copy
  }

  /** Printable ASCII without quotes or backslashes: written into JSON as it is. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * What the patch needs of the body's top-level members: the span [modelStart, modelEnd) of the
   * single {@code "model"} member's string value, and whether a {@code "stream_options"} member is
   * there.
   */
  record TopLevel(int modelStart, int modelEnd, boolean streamOptions) {
    /**
     * Scans {@code b[from, to)}, tracking strings and nesting only (the body is known to be valid
     * JSON: it was parsed); null when the patch would not be safe.
     */
    static TopLevel scan(byte[] b, int from, int to) {
      int depth = 0;
      int start = -1;
      int end = -1;
      boolean streamOptions = false;
      boolean expectKey = false;
      for (int i = from; i < to; i++) {
        byte c = b[i];
        switch (c) {
          case '{' -> {
            depth++;
            expectKey = depth == 1;
          }
          case '[' -> depth++;
          case '}', ']' -> depth--;
          case ',' -> expectKey = depth == 1;
          case '"' -> {
            int close = stringEnd(b, i, to);
            if (close < 0) {
              return null;
            }
            if (expectKey) {
              expectKey = false;
              for (int k = i + 1; k < close; k++) {
                if (b[k] == '\\') {
                  return null; // a key written with escapes might be another "model" or "stream_options"
                }
              }
              streamOptions |= is(b, i, close, STREAM_OPTIONS_KEY);
              if (is(b, i, close, MODEL_KEY)) {
                int v = close + 1;
                while (v < to && (b[v] == ' ' || b[v] == '\t' || b[v] == '\n' || b[v] == '\r' || b[v] == ':')) {
                  v++;
                }
                if (start >= 0 || v >= to || b[v] != '"') {
                  return null; // a second "model", or not a string
                }
                int valueEnd = stringEnd(b, v, to);
                if (valueEnd < 0) {
                  return null;
                }
                start = v;
                end = valueEnd + 1;
                i = valueEnd;
                continue;
              }
            }
            i = close;
          }
          default -> { }
        }
      }
      return start < 0 ? null : new TopLevel(start, end, streamOptions);
    }

    /** Whether the string {@code b[open, close]} (quotes included) is {@code key}. */
    private static boolean is(byte[] b, int open, int close, byte[] key) {
      return close - open + 1 == key.length && java.util.Arrays.equals(b, open, close + 1, key, 0, key.length);
    }
  }

  /** The index of the quote closing the string opened at {@code open}, or -1. */
  private static int stringEnd(byte[] b, int open, int to) {
    for (int i = open + 1; i < to; i++) {
      if (b[i] == '\\') {
        i++;
      } else if (b[i] == '"') {
        return i;
      }
    }
    return -1;
  }
}
