package dev.sluice.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI {@code POST /v1/chat/completions} body. Immutable. Fields Sluice reads are typed; every
 * other top-level parameter is kept verbatim in {@link #extra()} (insertion order) so that a request
 * relayed to an OpenAI-family upstream loses nothing.
 */
public record ChatCompletionRequest(
    String model,
    List<ChatMessage> messages,
    boolean stream,
    Boolean includeUsage,
    Integer maxTokens,
    Integer maxCompletionTokens,
    Double temperature,
    Double topP,
    Integer n,
    List<String> stop,
    List<ToolDefinition> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    ResponseFormat responseFormat,
    String user,
    Map<String, JsonNode> extra) {

  public ChatCompletionRequest {
    messages = List.copyOf(messages);
    stop = stop == null ? null : List.copyOf(stop);
    tools = tools == null ? null : List.copyOf(tools);
    extra = Map.copyOf(extra);
  }

  /** The same request aimed at another model name; nothing else changes. */
  public ChatCompletionRequest withModel(String newModel) {
    return new ChatCompletionRequest(newModel, messages, stream, includeUsage, maxTokens,
        maxCompletionTokens, temperature, topP, n, stop, tools, toolChoice, parallelToolCalls,
        responseFormat, user, extra);
  }
}
