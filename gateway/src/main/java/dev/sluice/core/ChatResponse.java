package dev.sluice.core;

import dev.sluice.api.openai.ChatCompletion;
import io.vertx.core.buffer.Buffer;

/**
 * The canonical non-streamed answer, with the usage already in canonical form.
 *
 * @param openAiJson the upstream's own body when it already is OpenAI's wire format, relayed byte
 *     for byte by the OpenAI front so fields Sluice does not model (refusal, annotations, audio,
 *     service_tier) reach the client; null when the answer was translated
 * @param anthropicJson the upstream's own body when it is an Anthropic {@code message}, relayed byte
 *     for byte by the Anthropic front (thinking signatures, stop_sequence, cache usage); null otherwise
 * @param responsesJson the upstream's own Responses API {@code response} object, for a request passed
 *     through natively ({@link ChatRequest#responses()}), relayed byte for byte; null otherwise
 */
public record ChatResponse(ChatCompletion body, TokenUsage usage, Buffer openAiJson, Buffer anthropicJson,
    Buffer responsesJson) {

  public ChatResponse(ChatCompletion body, TokenUsage usage, Buffer openAiJson, Buffer anthropicJson) {
    this(body, usage, openAiJson, anthropicJson, null);
  }

  public ChatResponse(ChatCompletion body, TokenUsage usage, Buffer openAiJson) {
    this(body, usage, openAiJson, null, null);
  }
}
