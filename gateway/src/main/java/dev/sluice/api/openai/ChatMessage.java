package dev.sluice.api.openai;

import java.util.List;

/**
 * One message of a chat request or the message of a non-streamed choice.
 *
 * @param content null (assistant message with only tool calls), plain text or content parts
 * @param reasoningContent reasoning text some providers return next to the answer
 */
public record ChatMessage(
    String role,
    MessageContent content,
    String name,
    List<ToolCall> toolCalls,
    String toolCallId,
    String reasoningContent) {

  public ChatMessage {
    toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
  }

  public static ChatMessage of(String role, String text) {
    return new ChatMessage(role, MessageContent.text(text), null, null, null, null);
  }
}
