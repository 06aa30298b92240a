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
 * @param openAiJson the client's own OpenAI Chat Completions body when it came through the OpenAI front
 *     door and encoding {@code body} would send the same thing but for {@code model}
 *     ({@code SameFormatRelay}): an OpenAI-format provider sends these bytes with only the model
 *     patched. Kept by {@link #withModel} (the target's model is patched in anyway), dropped by every
 *     other change to the body; null otherwise
 */
public record ChatRequest(ChatCompletionRequest body, AnthropicBody anthropic, ResponsesBody responses,
    io.vertx.core.buffer.Buffer openAiJson) {

  public ChatRequest(ChatCompletionRequest body) {
    this(body, null, null, null);
  }

  public ChatRequest(ChatCompletionRequest body, AnthropicBody anthropic, ResponsesBody responses) {
    this(body, anthropic, responses, null);
  }

  public ChatRequest(ChatCompletionRequest body, AnthropicBody anthropic) {
    this(body, anthropic, null, null);
  }

  public String model() {
    return body.model();
  }

  public boolean stream() {
    return body.stream();
  }

  /** The request aimed at another model entry (a fallback); nothing else changes. */
  public ChatRequest withModel(String model) {
    return new ChatRequest(body.withModel(model), anthropic, responses, openAiJson);
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
