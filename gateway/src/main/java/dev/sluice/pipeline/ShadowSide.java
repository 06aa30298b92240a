package dev.sluice.pipeline;

import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.switching.shadow.ShadowAnswer;

/**
 * One side of a shadow pair: what the primary or the candidate answered, and what it took.
 *
 * @param target null when no target was called (the candidate could not serve the request)
 * @param ttftNanos time to the first token (the whole answer when unstreamed); negative when none came
 * @param error the error class when the side failed, else null
 * @param answer null when the side failed
 */
record ShadowSide(Target target, String provider, long latencyNanos, long ttftNanos, TokenUsage usage,
    long costMicros, boolean priceKnown, boolean estimated, int status, String error, ShadowAnswer answer) {

  static ShadowSide failed(Target target, String provider, long latencyNanos, int status, String error) {
    return new ShadowSide(target, provider, latencyNanos, -1, TokenUsage.ZERO, 0, true, false, status, error, null);
  }

  /** Characters of the answer: its text and its tool calls' arguments. */
  long outputChars() {
    if (answer == null) {
      return 0;
    }
    long n = answer.text().length();
    for (ShadowAnswer.ToolUse t : answer.toolCalls()) {
      n += t.arguments() == null ? 0 : t.arguments().length();
    }
    return n;
  }
}
