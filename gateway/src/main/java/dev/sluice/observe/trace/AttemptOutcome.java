package dev.sluice.observe.trace;

import dev.sluice.core.TokenUsage;

/**
 * How one upstream attempt ended, for its client span.
 *
 * @param outcome {@code ok}, an error class ({@code server_error}, {@code overloaded} …), or why it
 *     was abandoned ({@code lost}, {@code client_gone}, {@code deadline}, {@code abandoned})
 * @param status the provider's HTTP status; 0 when none came
 * @param usageEstimated whether {@code usage} was estimated (a stream cut before its usage)
 * @param costMicros what the attempt cost, micro-USD; negative when not priced (embeddings)
 * @param latencyNanos from sending to the attempt's end
 * @param ttftNanos to the first token; negative when none came
 */
public record AttemptOutcome(String outcome, int status, TokenUsage usage, boolean usageEstimated, long costMicros,
    long latencyNanos, long ttftNanos) {

  /** Outcomes that are not failures of the attempt: it answered, or Sluice stopped waiting for it. */
  boolean failed() {
    return switch (outcome) {
      case "ok", "lost", "client_gone", "abandoned", "cancelled", "pending" -> false;
      default -> true;
    };
  }
}
