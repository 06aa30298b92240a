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

  /**
   * The same request without the named top-level parameters: typed ones become unset, others are
   * removed from {@link #extra()}.
   */
  public ChatCompletionRequest without(java.util.Set<String> params) {
    Map<String, JsonNode> kept = new java.util.LinkedHashMap<>(extra);
    kept.keySet().removeAll(params);
    return new ChatCompletionRequest(model, messages, stream, includeUsage,
        params.contains("max_tokens") ? null : maxTokens,
        params.contains("max_completion_tokens") ? null : maxCompletionTokens,
        params.contains("temperature") ? null : temperature, params.contains("top_p") ? null : topP,
        params.contains("n") ? null : n, params.contains("stop") ? null : stop, tools, toolChoice,
        params.contains("parallel_tool_calls") ? null : parallelToolCalls,
        params.contains("response_format") ? null : responseFormat, params.contains("user") ? null : user, kept);
  }

  /** The same request aimed at another model name; nothing else changes. */
  public ChatCompletionRequest withModel(String newModel) {
    return new ChatCompletionRequest(newModel, messages, stream, includeUsage, maxTokens,
        maxCompletionTokens, temperature, topP, n, stop, tools, toolChoice, parallelToolCalls,
        responseFormat, user, extra);
  }
}
