package dev.sluice.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a client understood from the gateway's answer, whatever the front's wire format: the same
 * scenario asserts the same meaning through every front and provider.
 *
 * @param httpStatus the HTTP status of the response
 * @param text the assistant's text, "" when none
 * @param reasoning the reasoning (thinking) text, "" when none
 * @param toolCalls the tool calls, in order
 * @param finish stop | length | tool_calls | content_filter (null on errors and cut streams)
 * @param usage the token counts (null when the answer carried none)
 * @param errorKind the normalized kind of an error response (see {@link FrontClient}); null on success
 * @param errorMessage the error response's message; null on success
 * @param terminalStreamError the normalized kind of a stream's terminal error event; null when none
 * @param streamCompleted a stream ended with its success marker ({@code [DONE]}, {@code message_stop})
 * @param toolIndexes OpenAI front streams: the tool-call indexes in the order first seen; else empty
 * @param usageChunk OpenAI front streams: whether a usage chunk was sent
 */
record Answer(int httpStatus, String text, String reasoning, List<ToolCallOut> toolCalls, String finish,
    UsageOut usage, String errorKind, String errorMessage, String terminalStreamError, boolean streamCompleted,
    List<Integer> toolIndexes, boolean usageChunk) {

  /** One tool call; {@code arguments} is the parsed JSON object, compared structurally. */
  record ToolCallOut(String id, String name, JsonNode arguments) {}

  /**
   * Token counts. {@code input} counts every prompt token, cached ones included; {@code reasoning}
   * is null on a front that does not report it (Anthropic).
   */
  record UsageOut(long input, long output, long cachedRead, Long reasoning) {}
}
