package dev.sluice.api.openai;

import static dev.sluice.api.openai.JsonFields.field;
import static dev.sluice.api.openai.JsonFields.longValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Completion and chunk JSON ⇄ records. Decoding is lenient about fields Sluice does not use
 * (upstreams add fields all the time) and strict about the ones it does.
 */
public final class OpenAiResponseCodec {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private OpenAiResponseCodec() {}

  public static ChatCompletion decodeCompletion(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new WireFormatException(null, "completion body is not a JSON object");
    }
    JsonNode choicesNode = field(body, "choices");
    List<ChatCompletion.Choice> choices = new ArrayList<>();
    if (choicesNode != null && choicesNode.isArray()) {
      for (int i = 0; i < choicesNode.size(); i++) {
        JsonNode c = choicesNode.get(i);
        JsonNode msg = field(c, "message");
        choices.add(new ChatCompletion.Choice(c.path("index").asInt(i),
            msg == null ? ChatMessage.of("assistant", "") : OpenAiRequestCodec.decodeMessage(msg, "choices[" + i + "].message"),
            textOrNull(c, "finish_reason")));
      }
    }
    return new ChatCompletion(textOrNull(body, "id"), body.path("created").asLong(), textOrNull(body, "model"),
        choices, decodeUsage(field(body, "usage")), textOrNull(body, "system_fingerprint"));
  }

  /** The {@code message} of choice {@code i} of a completion, as {@link #decodeCompletion} decodes it. */
  public static ChatMessage decodeChoiceMessage(JsonNode msg, int i) {
    return OpenAiRequestCodec.decodeMessage(msg, i == 0 ? "choices[0].message" : "choices[" + i + "].message");
  }

  public static ChatCompletionChunk decodeChunk(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new WireFormatException(null, "chunk is not a JSON object");
    }
    JsonNode choicesNode = field(body, "choices");
    List<ChatCompletionChunk.ChunkChoice> choices = new ArrayList<>(1);
    if (choicesNode != null && choicesNode.isArray()) {
      for (int i = 0; i < choicesNode.size(); i++) {
        JsonNode c = choicesNode.get(i);
        choices.add(new ChatCompletionChunk.ChunkChoice(c.path("index").asInt(i), decodeDelta(field(c, "delta")),
            textOrNull(c, "finish_reason")));
      }
    }
    return new ChatCompletionChunk(textOrNull(body, "id"), body.path("created").asLong(), textOrNull(body, "model"),
        choices, decodeUsage(field(body, "usage")), textOrNull(body, "system_fingerprint"));
  }

  private static ChatCompletionChunk.Delta decodeDelta(JsonNode d) {
    if (d == null) {
      return new ChatCompletionChunk.Delta(null, null, null, null);
    }
    List<ToolCallDelta> calls = null;
    JsonNode tc = field(d, "tool_calls");
    if (tc != null && tc.isArray()) {
      calls = new ArrayList<>(tc.size());
      for (int i = 0; i < tc.size(); i++) {
        JsonNode c = tc.get(i);
        JsonNode fn = c.path("function");
        calls.add(new ToolCallDelta(c.path("index").asInt(i), textOrNull(c, "id"), textOrNull(c, "type"),
            textOrNull(fn, "name"), textOrNull(fn, "arguments")));
      }
    }
    return new ChatCompletionChunk.Delta(textOrNull(d, "role"), textOrNull(d, "content"),
        textOrNull(d, "reasoning_content"), calls);
  }

  public static Usage decodeUsage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return null;
    }
    long prompt = u.path("prompt_tokens").asLong();
    long completion = u.path("completion_tokens").asLong();
    JsonNode total = field(u, "total_tokens");
    return new Usage(prompt, completion, total == null ? prompt + completion : total.asLong(),
        longValue(u.path("prompt_tokens_details"), "cached_tokens"),
        longValue(u.path("completion_tokens_details"), "reasoning_tokens"));
  }

  public static ObjectNode encodeUsage(Usage u) {
    ObjectNode o = F.objectNode().put("prompt_tokens", u.promptTokens())
        .put("completion_tokens", u.completionTokens()).put("total_tokens", u.totalTokens());
    if (u.cachedTokens() != null) {
      o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
    }
    if (u.reasoningTokens() != null) {
      o.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    }
    return o;
  }

  public static ObjectNode encodeCompletion(ChatCompletion c) {
    ObjectNode o = F.objectNode().put("id", c.id()).put("object", "chat.completion")
        .put("created", c.created()).put("model", c.model());
    ArrayNode choices = o.putArray("choices");
    for (ChatCompletion.Choice ch : c.choices()) {
      ObjectNode cn = choices.addObject().put("index", ch.index());
      cn.set("message", OpenAiRequestCodec.encodeMessage(ch.message()));
      cn.putNull("logprobs");
      cn.put("finish_reason", ch.finishReason());
    }
    if (c.usage() != null) {
      o.set("usage", encodeUsage(c.usage()));
    }
    if (c.systemFingerprint() != null) {
      o.put("system_fingerprint", c.systemFingerprint());
    }
    return o;
  }

  public static ObjectNode encodeChunk(ChatCompletionChunk c) {
    ObjectNode o = F.objectNode().put("id", c.id()).put("object", "chat.completion.chunk")
        .put("created", c.created()).put("model", c.model());
    if (c.systemFingerprint() != null) {
      o.put("system_fingerprint", c.systemFingerprint());
    }
    ArrayNode choices = o.putArray("choices");
    for (ChatCompletionChunk.ChunkChoice ch : c.choices()) {
      ObjectNode cn = choices.addObject().put("index", ch.index());
      ObjectNode d = cn.putObject("delta");
      ChatCompletionChunk.Delta delta = ch.delta();
      if (delta.role() != null) {
        d.put("role", delta.role());
      }
      if (delta.content() != null) {
        d.put("content", delta.content());
      }
      if (delta.reasoningContent() != null) {
        d.put("reasoning_content", delta.reasoningContent());
      }
      if (delta.toolCalls() != null) {
        ArrayNode calls = d.putArray("tool_calls");
        for (ToolCallDelta t : delta.toolCalls()) {
          ObjectNode tn = calls.addObject().put("index", t.index());
          if (t.id() != null) {
            tn.put("id", t.id());
          }
          if (t.type() != null) {
            tn.put("type", t.type());
          }
          ObjectNode fn = tn.putObject("function");
          if (t.name() != null) {
            fn.put("name", t.name());
          }
          if (t.arguments() != null) {
            fn.put("arguments", t.arguments());
          }
        }
      }
      cn.putNull("logprobs");
      cn.put("finish_reason", ch.finishReason());
    }
    if (c.usage() != null) {
      o.set("usage", encodeUsage(c.usage()));
    }
    return o;
  }

  private static String textOrNull(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || !v.isTextual() ? null : v.textValue();
  }
}
