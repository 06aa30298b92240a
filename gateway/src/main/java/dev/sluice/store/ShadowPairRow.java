package dev.sluice.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One shadow pair: a client request's primary answer and a shadow candidate's answer to a copy of
 * it. {@link #id()} is {@code requestId + ':' + candidate}, so storing it twice keeps one row.
 *
 * @param candidate the shadow's {@code model} as configured (an entry name or {@code provider/model})
 * @param primary the primary side; {@link Side#target()} is {@code provider/model}
 * @param exact null when not compared, as every comparison
 * @param similarity cosine similarity of the answers' embeddings; null when not compared
 */
public record ShadowPairRow(String requestId, Instant ts, String modelEntry, String candidate, boolean stream,
    Side primary, Side shadow, Boolean exact, Boolean jsonValid, Boolean schemaMatch, Boolean toolsAgree,
    Double similarity) {

  /**
   * What one side took and answered.
   *
   * @param target {@code provider/model}; null when none was called
   * @param ttftMs null when no token came
   * @param error the error class when it failed, else null
   * @param finishReason null when it did not finish
   * @param outputChars characters of the answer (text and tool-call arguments)
   */
  public record Side(String target, long latencyMs, Long ttftMs, long inputTokens, long outputTokens,
      long costMicros, String error, String finishReason, long outputChars) {}

  public ShadowPairRow {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(modelEntry, "modelEntry");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(shadow, "shadow");
    ts = Millis.truncate(ts);
  }

  public String id() {
    return requestId + ':' + candidate;
  }
}
