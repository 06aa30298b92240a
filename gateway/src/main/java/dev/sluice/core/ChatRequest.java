package dev.sluice.core;

import dev.sluice.api.openai.ChatCompletionRequest;

/**
 * The canonical chat request: parsed once at the front door, immutable, re-encoded by every
 * attempt. Its shape is OpenAI's (the lingua franca of the field); other fronts translate into it.
 *
 * @param body the request as the client meant it, {@code model} being the name the client sent
 * @param anthropic the client's own Anthropic Messages body when it came through the Anthropic front
 *     door, so an Anthropic provider can send it on losslessly; null otherwise
 * @param responses the client's own Responses API body when it came through the Responses front
 *     door (passed through natively to an OpenAI target when it needs to be); null otherwise
 */
public record ChatRequest(ChatCompletionRequest body, AnthropicBody anthropic, ResponsesBody responses) {

  public ChatRequest(ChatCompletionRequest body) {
    this(body, null, null);
  }

  public ChatRequest(ChatCompletionRequest body, AnthropicBody anthropic) {
    this(body, anthropic, null);
  }

  public String model() {
    return body.model();
  }

  public boolean stream() {
    return body.stream();
  }

  /** The request aimed at another model entry (a fallback); nothing else changes. */
  public ChatRequest withModel(String model) {
    return new ChatRequest(body.withModel(model), anthropic, responses);
  }

  public ChatRequest without(java.util.Set<String> params) {
    return params.isEmpty() ? this : new ChatRequest(body.without(params), anthropic, responses);
  }

  /** The same native body (if any) with another canonical body: an adaptation of this request. */
  public ChatRequest withBody(ChatCompletionRequest newBody) {
    return new ChatRequest(newBody, anthropic, responses);
  }

  /** Whether the request goes natively to OpenAI's Responses API ({@link ResponsesBody#passThrough()}). */
  public boolean nativeResponses() {
    return responses != null && responses.passThrough();
  }

  /** Whether the client asked for the final usage chunk of a stream. */
  public boolean clientWantsStreamUsage() {
    return Boolean.TRUE.equals(body.includeUsage());
  }
}
