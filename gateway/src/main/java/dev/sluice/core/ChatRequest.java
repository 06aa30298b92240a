package dev.sluice.core;

import dev.sluice.api.openai.ChatCompletionRequest;

/**
 * The canonical chat request: parsed once at the front door, immutable, re-encoded by every
 * attempt. Its shape is OpenAI's (the lingua franca of the field); other fronts translate into it.
 *
 * @param body the request as the client meant it, {@code model} being the name the client sent
 * @param anthropic the client's own Anthropic Messages body when it came through the Anthropic front
 *     door, so an Anthropic provider can send it on losslessly; null otherwise
 */
public record ChatRequest(ChatCompletionRequest body, AnthropicBody anthropic) {

  public ChatRequest(ChatCompletionRequest body) {
    this(body, null);
  }

  public String model() {
    return body.model();
  }

  public boolean stream() {
    return body.stream();
  }

  /** The request aimed at another model entry (a fallback); nothing else changes. */
  public ChatRequest withModel(String model) {
    return new ChatRequest(body.withModel(model), anthropic);
  }

  public ChatRequest without(java.util.Set<String> params) {
    return params.isEmpty() ? this : new ChatRequest(body.without(params), anthropic);
  }

  /** The same native body (if any) with another canonical body: an adaptation of this request. */
  public ChatRequest withBody(ChatCompletionRequest newBody) {
    return new ChatRequest(newBody, anthropic);
  }

  /** Whether the client asked for the final usage chunk of a stream. */
  public boolean clientWantsStreamUsage() {
    return Boolean.TRUE.equals(body.includeUsage());
  }
}
