package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.api.openai.Usage;
import dev.sluice.core.Json;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A non-streamed {@code chat.completion} read in one streaming Jackson pass, without a tree of the
 * whole body: only each choice's {@code message} becomes a (small) tree, decoded by the same code as
 * before. Gives what {@link OpenAiResponseCodec#decodeCompletion} gives for the shapes upstreams
 * send; anything else (a field of an unexpected type, a Responses API object, malformed JSON) gives
 * null and the caller takes the tree path, so odd bodies keep their exact old treatment.
 */
final class OpenAiCompletionReader {
  private OpenAiCompletionReader() {}

  /** The completion, or null when the tree path must decide. */
  static ChatCompletion read(Buffer body) {
    ByteBuf buf = body instanceof BufferInternal b ? b.getByteBuf() : null;
    try (JsonParser p = buf != null && buf.hasArray()
        ? Json.MAPPER.createParser(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes())
        : Json.MAPPER.createParser(body.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      String model = null;
      String fingerprint = null;
      long created = 0;
      List<ChatCompletion.Choice> choices = List.of();
      Usage usage = null;
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "id" -> id = text(p, v);
          case "model" -> model = text(p, v);
          case "system_fingerprint" -> fingerprint = text(p, v);
          case "object" -> {
            if (v == JsonToken.VALUE_STRING && p.getText().equals("response")) {
              return null; // a Responses API object: its own decoder
            }
            p.skipChildren();
          }
          case "created" -> {
            if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
              created = p.getLongValue();
            } else if (v == JsonToken.VALUE_NULL) {
              created = 0;
            } else {
              return null;
            }
          }
          case "choices" -> {
            if (v == JsonToken.START_ARRAY) {
              choices = choices(p);
              if (choices == null) {
                return null;
              }
            } else {
              choices = List.of();
              p.skipChildren();
            }
          }
          case "usage" -> {
            if (v == JsonToken.START_OBJECT) {
              usage = usage(p);
              if (usage == UNREADABLE) {
                return null;
              }
            } else {
              usage = null;
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null; // trailing content: let the tree path judge it
      }
      return new ChatCompletion(id, created, model, choices, usage, fingerprint);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static List<ChatCompletion.Choice> choices(JsonParser p) throws IOException {
    List<ChatCompletion.Choice> out = new ArrayList<>(1);
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        return null;
      }
      int i = out.size();
      int index = i;
      JsonNode message = null;
      String finish = null;
      for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "index" -> {
            if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
              return null;
            }
            index = p.getIntValue();
          }
          case "message" -> message = v == JsonToken.VALUE_NULL ? null : p.readValueAsTree();
          case "finish_reason" -> finish = text(p, v);
          default -> p.skipChildren();
        }
      }
      out.add(new ChatCompletion.Choice(index, message == null ? ChatMessage.of("assistant", "")
          : OpenAiResponseCodec.decodeChoiceMessage(message, i), finish));
    }
    return out;
  }

  /** What {@link #usage} gives for a shape it leaves to the tree path (compared by identity). */
  private static final Usage UNREADABLE = new Usage(-1, -1, -1, null, null);

  /**
   * The {@code usage} object the parser is at, read as {@link OpenAiResponseCodec#decodeUsage} reads
   * its tree (a later duplicate field wins, JSON null counts as absent), without building the tree:
   * that was the largest allocation of the answer's decode. Token counts must be integers (or null);
   * anything else gives {@link #UNREADABLE} and the caller the tree path.
   */
  private static Usage usage(JsonParser p) throws IOException {
    long prompt = 0;
    long completion = 0;
    Long total = null;
    Long cached = null;
    Long reasoning = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "prompt_tokens", "completion_tokens", "total_tokens" -> {
          Long n = count(p, v);
          if (n == null && v != JsonToken.VALUE_NULL) {
            return UNREADABLE;
          }
          switch (name) {
            case "prompt_tokens" -> prompt = n == null ? 0 : n;
            case "completion_tokens" -> completion = n == null ? 0 : n;
            default -> total = n;
          }
        }
        case "prompt_tokens_details", "completion_tokens_details" -> {
          boolean promptSide = name.equals("prompt_tokens_details");
          Long detail = null;
          if (v == JsonToken.START_OBJECT) {
            String wanted = promptSide ? "cached_tokens" : "reasoning_tokens";
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
              boolean mine = p.currentName().equals(wanted);
              JsonToken dv = p.nextToken();
              if (!mine) {
                p.skipChildren();
                continue;
              }
              detail = count(p, dv);
              if (detail == null && dv != JsonToken.VALUE_NULL) {
                return UNREADABLE;
              }
            }
          } else if (v != JsonToken.VALUE_NULL) {
            return UNREADABLE;
          }
          if (promptSide) {
            cached = detail;
          } else {
            reasoning = detail;
          }
        }
        default -> p.skipChildren();
      }
    }
    return new Usage(prompt, completion, total == null ? prompt + completion : total, cached, reasoning);
  }

  /** An integer that fits a long, else null. */
  private static Long count(JsonParser p, JsonToken v) throws IOException {
    return v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
        ? p.getLongValue() : null;
  }

  /** A string value, null for anything else (as the tree path's textOrNull). */
  private static String text(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }
}
