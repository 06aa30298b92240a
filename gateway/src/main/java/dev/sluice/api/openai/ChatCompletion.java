package dev.sluice.api.openai;

import java.util.List;

/** A non-streamed {@code chat.completion} response. */
public record ChatCompletion(
    String id, long created, String model, List<Choice> choices, Usage usage, String systemFingerprint) {

  public ChatCompletion {
    choices = List.copyOf(choices);
  }

  /** One choice of a completion. */
  public record Choice(int index, ChatMessage message, String finishReason) {}
}
