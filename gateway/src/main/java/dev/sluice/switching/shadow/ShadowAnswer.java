package dev.sluice.switching.shadow;

import java.util.List;

/**
 * What one side of a shadow pair answered, as the comparison sees it.
 *
 * @param text the first choice's text (concatenated deltas for a stream); empty when none
 * @param toolCalls the first choice's tool calls, in order
 * @param finishReason null when the answer did not finish (an error, a cut stream)
 */
public record ShadowAnswer(String text, List<ToolUse> toolCalls, String finishReason) {

  /** One tool call: the function's name and its arguments as the model wrote them (a JSON text). */
  public record ToolUse(String name, String arguments) {}

  public static final ShadowAnswer NONE = new ShadowAnswer("", List.of(), null);

  public ShadowAnswer {
    text = text == null ? "" : text;
    toolCalls = List.copyOf(toolCalls);
  }
}
