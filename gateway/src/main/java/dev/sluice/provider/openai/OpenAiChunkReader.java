package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.api.openai.Usage;
import dev.sluice.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one OpenAI {@code chat.completion.chunk} in a single streaming pass, straight into the
 * records {@code OpenAiResponseCodec.decodeChunk} builds from a tree, without the tree (a
 * {@code LinkedHashMap} per object: most of the per-event cost, bench/results/hotspots.md #4).
 *
 * <p>It only takes the common shape. Anything else — malformed JSON, an {@code error} field, a
 * value of a type the codec would coerce ({@code "index":"1"}, floats, big numbers, {@code null}
 * where a number goes, a choice that is not an object) — returns {@code null}, and the caller
 * decodes the event the reference way, so odd, failing and error events behave exactly as before.
 * Duplicate keys are taken last-wins, as the tree does. Not thread-safe: one per stream.
 */
final class OpenAiChunkReader {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
  /**
   * Skipped strings are not checked against the parser's maximum string length, decoded ones are:
   * an event that long (never, in practice) goes the reference way so it fails the same way.
   */
  private static final int MAX_STRING = FACTORY.streamReadConstraints().getMaxStringLength();
  private static final Delta NO_DELTA = new Delta(null, null, null, null);

  /** Thrown (never escapes) when the event is not the common shape. No stack trace: it is flow. */
  private static final class NotCommonShape extends RuntimeException {
    NotCommonShape() {
      super(null, null, false, false);
    }
  }

  private static final NotCommonShape NOT_COMMON = new NotCommonShape();

  // id, model and system_fingerprint repeat in every chunk of a stream: one String each, reused.
  private String lastId;
  private String lastModel;
  private String lastFingerprint;

  /** The chunk, or null when the event must take the reference path. */
  ChatCompletionChunk read(byte[] json) {
    if (json.length > MAX_STRING) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      return chunk(p);
    } catch (IOException | NotCommonShape e) {
      return null;
    }
  }

  private ChatCompletionChunk chunk(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw NOT_COMMON;
    }
    String id = null;
    String model = null;
    String fingerprint = null;
    long created = 0;
    List<ChunkChoice> choices = List.of();
    Usage usage = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "id" -> id = lastId = text(p, v, lastId);
        case "model" -> model = lastModel = text(p, v, lastModel);
        case "system_fingerprint" -> fingerprint = lastFingerprint = text(p, v, lastFingerprint);
        case "created" -> created = v == JsonToken.VALUE_NULL ? 0 : longValue(p, v);
        case "choices" -> choices = v == JsonToken.VALUE_NULL ? List.of() : choices(p, v);
        case "usage" -> usage = v == JsonToken.VALUE_NULL ? null : usage(p, v);
        case "error" -> {
          if (v != JsonToken.VALUE_NULL) {
            throw NOT_COMMON; // the reference path words the failure
          }
        }
        default -> p.skipChildren();
      }
    }
    return new ChatCompletionChunk(id, created, model, choices, usage, fingerprint);
  }

  private static List<ChunkChoice> choices(JsonParser p, JsonToken v) throws IOException {
    expect(v, JsonToken.START_ARRAY);
    ChunkChoice first = null;
    List<ChunkChoice> more = null;
    int position = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), position++) {
      ChunkChoice c = choice(p, t, position);
      if (first == null) {
        first = c;
      } else {
        if (more == null) {
          more = new ArrayList<>(4);
          more.add(first);
        }
        more.add(c);
      }
    }
    return more != null ? more : first != null ? List.of(first) : List.of();
  }

  private static ChunkChoice choice(JsonParser p, JsonToken t, int position) throws IOException {
    expect(t, JsonToken.START_OBJECT);
    int index = position;
    Delta delta = NO_DELTA;
    String finishReason = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "index" -> index = intValue(p, v);
        case "delta" -> delta = v == JsonToken.VALUE_NULL ? NO_DELTA : delta(p, v);
        case "finish_reason" -> finishReason = text(p, v, null);
        default -> p.skipChildren();
      }
    }
    return new ChunkChoice(index, delta, finishReason);
  }

  private static Delta delta(JsonParser p, JsonToken v) throws IOException {
    expect(v, JsonToken.START_OBJECT);
    String role = null;
    String content = null;
    String reasoning = null;
    List<ToolCallDelta> calls = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "role" -> role = text(p, t, null);
        case "content" -> content = text(p, t, null);
        case "reasoning_content" -> reasoning = text(p, t, null);
        case "tool_calls" -> {
          calls = t == JsonToken.START_ARRAY ? toolCalls(p) : null;
          p.skipChildren(); // a non-array (the codec ignores it); no-op after the array
        }
        default -> p.skipChildren();
      }
    }
    return role == null && content == null && reasoning == null && calls == null ? NO_DELTA
        : new Delta(role, content, reasoning, calls);
  }

  private static List<ToolCallDelta> toolCalls(JsonParser p) throws IOException {
    List<ToolCallDelta> calls = new ArrayList<>(1);
    int position = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), position++) {
      expect(t, JsonToken.START_OBJECT);
      int index = position;
      String id = null;
      String type = null;
      String fnName = null;
      String arguments = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "index" -> index = intValue(p, v);
          case "id" -> id = text(p, v, null);
          case "type" -> type = text(p, v, null);
          case "function" -> {
            fnName = null; // last "function" wins whole, as in a tree
            arguments = null;
            if (v == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                switch (f) {
                  case "name" -> fnName = text(p, fv, null);
                  case "arguments" -> arguments = text(p, fv, null);
                  default -> p.skipChildren();
                }
              }
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      calls.add(new ToolCallDelta(index, id, type, fnName, arguments));
    }
    return calls;
  }

  private static Usage usage(JsonParser p, JsonToken v) throws IOException {
    expect(v, JsonToken.START_OBJECT);
    long prompt = 0;
    long completion = 0;
    Long total = null;
    Long cached = null;
    Long reasoning = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "prompt_tokens" -> prompt = longValue(p, t);
        case "completion_tokens" -> completion = longValue(p, t);
        case "total_tokens" -> total = t == JsonToken.VALUE_NULL ? null : longValue(p, t);
        case "prompt_tokens_details" -> cached = detail(p, t, "cached_tokens");
        case "completion_tokens_details" -> reasoning = detail(p, t, "reasoning_tokens");
        default -> p.skipChildren();
      }
    }
    return new Usage(prompt, completion, total == null ? prompt + completion : total, cached, reasoning);
  }

  /** A count inside a details object; null when absent or not a number, as the codec reads it. */
  private static Long detail(JsonParser p, JsonToken v, String field) throws IOException {
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    Long value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals(field)) {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          value = longValue(p, t);
        } else {
          value = null;
          p.skipChildren();
        }
      } else {
        p.skipChildren();
      }
    }
    return value;
  }

  /** A string value, or null for any other kind (the codec's textOrNull); reuses {@code previous} when equal. */
  private static String text(JsonParser p, JsonToken v, String previous) throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      p.skipChildren();
      return null;
    }
    if (previous != null && sameText(p, previous)) {
      return previous;
    }
    return p.getText();
  }

  private static boolean sameText(JsonParser p, String s) throws IOException {
    int length = p.getTextLength();
    if (length != s.length()) {
      return false;
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    for (int i = 0; i < length; i++) {
      if (chars[offset + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** An int or long literal; anything the codec would coerce (float, big, string, null) is not common. */
  private static long longValue(JsonParser p, JsonToken v) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT) {
      throw NOT_COMMON;
    }
    JsonParser.NumberType type = p.getNumberType();
    if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
      throw NOT_COMMON;
    }
    return p.getLongValue();
  }

  private static int intValue(JsonParser p, JsonToken v) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
      throw NOT_COMMON;
    }
    return p.getIntValue();
  }

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw NOT_COMMON;
    }
  }
}
