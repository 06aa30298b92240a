package dev.sluice.server.responses;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of translated answers: {@code resp_} from the provider's completion id (so logs line up), and
 * made-up ids (clock time plus a sequence) for items and for providers that gave none. Thread-safe:
 * one per front door.
 */
final class ResponseIds {
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  ResponseIds(Clock clock) {
    this.clock = clock;
  }

  String responseId(String completionId) {
    if (completionId == null || completionId.isEmpty()) {
      return "resp_" + fresh();
    }
    return completionId.startsWith("resp_") ? completionId : "resp_" + completionId.replaceAll("[^A-Za-z0-9_-]", "");
  }

  /** An output item's id with its type's prefix ({@code msg}, {@code fc}, {@code rs}). */
  String itemId(String prefix) {
    return prefix + "_" + fresh();
  }

  /** A tool call's id as the client will echo it back: the provider's own when it gave one. */
  String callId(String callId) {
    return callId == null || callId.isEmpty() ? "call_" + fresh() : callId;
  }

  long nowSeconds() {
    return clock.millis() / 1000;
  }

  private String fresh() {
    return "sluice" + Long.toString(clock.millis(), 36) + "x" + Long.toString(sequence.incrementAndGet(), 36);
  }
}
