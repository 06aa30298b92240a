package dev.sluice.api.openai;

import java.util.List;

/** One {@code chat.completion.chunk} of a stream. A usage-only chunk has no choices. */
public record ChatCompletionChunk(
    String id, long created, String model, List<ChunkChoice> choices, Usage usage, String systemFingerprint) {

  public ChatCompletionChunk {
    choices = List.copyOf(choices);
  }

  /** One choice's delta. */
  public record ChunkChoice(int index, Delta delta, String finishReason) {}

  /** What a chunk adds to a choice. */
  public record Delta(String role, String content, String reasoningContent, List<ToolCallDelta> toolCalls) {
    public Delta {
      toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
    }
  }
}
