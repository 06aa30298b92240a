package dev.sluice.server.anthropic;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Anthropic-style ids for answers: a message id derived from the completion id ({@code msg_}
 * prefixed when it lacks it), and made-up ids (clock time plus a sequence) when the provider gave
 * none. Thread-safe: one per front door, shared by its requests.
 */
final class MessageIds {
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  MessageIds(Clock clock) {
    this.clock = clock;
  }

  String messageId(String completionId) {
    if (completionId == null || completionId.isEmpty()) {
      return "msg_" + fresh();
    }
    return completionId.startsWith("msg_") ? completionId : "msg_" + completionId;
  }

  /**
   * A tool call's id as the client will echo it back in its tool_result: kept verbatim when the
   * provider gave one, so the next turn reaches the provider with the id it issued.
   */
  String toolUseId(String callId) {
    return callId == null || callId.isEmpty() ? "toolu_" + fresh() : callId;
  }

  private String fresh() {
    return "sluice" + Long.toString(clock.millis(), 36) + "x" + Long.toString(sequence.incrementAndGet(), 36);
  }
}
