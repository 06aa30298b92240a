package dev.sluice.switching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of one request's top-level parameters being adapted for one target, and the list of what
 * changed. One per candidate; not thread-safe. The original request is never written: the extra map
 * and the message list are copied on their first change only.
 */
final class WorkingRequest {
  private final ChatCompletionRequest original;
  private Integer maxTokens;
  private Integer maxCompletionTokens;
  private Double temperature;
  private Double topP;
  private Integer n;
  private List<String> stop;
  private Boolean parallelToolCalls;
  private String user;
  private Map<String, JsonNode> extra;
  private boolean extraCopied;
  private List<ChatMessage> messages;
  private List<String> changes;

  WorkingRequest(ChatCompletionRequest r) {
    this.original = r;
    this.maxTokens = r.maxTokens();
    this.maxCompletionTokens = r.maxCompletionTokens();
    this.temperature = r.temperature();
    this.topP = r.topP();
    this.n = r.n();
    this.stop = r.stop();
    this.parallelToolCalls = r.parallelToolCalls();
    this.user = r.user();
    this.extra = r.extra();
    this.messages = r.messages();
  }

  ChatCompletionRequest original() {
    return original;
  }

  /** The parameter's value as JSON, null when not sent. */
  JsonNode get(String name) {
    return switch (name) {
      case "max_tokens" -> maxTokens == null ? null : IntNode.valueOf(maxTokens);
      case "max_completion_tokens" -> maxCompletionTokens == null ? null : IntNode.valueOf(maxCompletionTokens);
      case "temperature" -> temperature == null ? null : DoubleNode.valueOf(temperature);
      case "top_p" -> topP == null ? null : DoubleNode.valueOf(topP);
      case "n" -> n == null ? null : IntNode.valueOf(n);
      case "parallel_tool_calls" -> parallelToolCalls == null ? null : BooleanNode.valueOf(parallelToolCalls);
      case "user" -> user == null ? null : TextNode.valueOf(user);
      case "stop" -> {
        if (stop == null) {
          yield null;
        }
        var a = JsonNodeFactory.instance.arrayNode();
        stop.forEach(a::add);
        yield a;
      }
      default -> {
        JsonNode v = extra.get(name);
        yield v == null || v.isNull() ? null : v;
      }
    };
  }

  boolean has(String name) {
    return switch (name) {
      case "max_tokens" -> maxTokens != null;
      case "max_completion_tokens" -> maxCompletionTokens != null;
      case "temperature" -> temperature != null;
      case "top_p" -> topP != null;
      case "n" -> n != null;
      case "parallel_tool_calls" -> parallelToolCalls != null;
      case "user" -> user != null;
      case "stop" -> stop != null;
      default -> {
        JsonNode v = extra.get(name);
        yield v != null && !v.isNull();
      }
    };
  }

  /**
   * Sets the parameter; {@code value} null removes it. A value of the wrong type for a typed
   * parameter removes it too (rules are checked at load, so only a rename can bring one).
   */
  void put(String name, JsonNode value) {
    switch (name) {
      case "max_tokens" -> maxTokens = integer(value);
      case "max_completion_tokens" -> maxCompletionTokens = integer(value);
      case "temperature" -> temperature = value != null && value.isNumber() ? value.doubleValue() : null;
      case "top_p" -> topP = value != null && value.isNumber() ? value.doubleValue() : null;
      case "n" -> n = integer(value);
      case "parallel_tool_calls" -> parallelToolCalls = value != null && value.isBoolean() ? value.booleanValue() : null;
      case "user" -> user = value != null && value.isTextual() ? value.textValue() : null;
      case "stop" -> stop = stopList(value);
      default -> {
        if (!extraCopied) {
          extra = new LinkedHashMap<>(extra);
          extraCopied = true;
        }
        if (value == null) {
          extra.remove(name);
        } else {
          extra.put(name, value);
        }
      }
    }
  }

  Integer maxTokensOut() {
    return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
  }

  List<ChatMessage> messages() {
    return messages;
  }

  void messages(List<ChatMessage> newMessages) {
    this.messages = newMessages;
  }

  void changed(String what) {
    if (changes == null) {
      changes = new ArrayList<>(4);
    }
    changes.add(what);
  }

  /** What was changed, in order; empty when nothing was. */
  List<String> changes() {
    return changes == null ? List.of() : List.copyOf(changes);
  }

  boolean anyChange() {
    return changes != null;
  }

  ChatCompletionRequest build() {
    return new ChatCompletionRequest(original.model(), messages, original.stream(), original.includeUsage(), maxTokens,
        maxCompletionTokens, temperature, topP, n, stop, original.tools(), original.toolChoice(), parallelToolCalls,
        original.responseFormat(), user, extra);
  }

  private static Integer integer(JsonNode v) {
    return v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : null;
  }

  private static List<String> stopList(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return List.of(v.textValue());
    }
    if (!v.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (s.isTextual()) {
        out.add(s.textValue());
      }
    }
    return out;
  }
}
