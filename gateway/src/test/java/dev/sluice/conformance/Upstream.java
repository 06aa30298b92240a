package dev.sluice.conformance;

import dev.sluice.conformance.Answer.ToolCallOut;
import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.testing.FakeResponse;
import java.util.List;
import java.util.function.Supplier;

/**
 * A provider's answer to one scenario: a fresh fake response each time it is asked for (so a test
 * can also drip-feed it), named after its fixture, and the normalized answer a client must get.
 */
record Upstream(String fixture, Supplier<FakeResponse> response, Expected expected) {

  /**
   * What the client must understand. {@code usage} null: not asserted; {@code streamError}: the
   * kind of the terminal error event of a stream that fails mid-way, else null.
   */
  record Expected(String text, String reasoning, List<ToolCallOut> toolCalls, String finish, UsageOut usage,
      String streamError) {

    static Expected text(String text, UsageOut usage) {
      return new Expected(text, "", List.of(), "stop", usage, null);
    }

    static Expected toolCalls(String text, List<ToolCallOut> calls, UsageOut usage) {
      return new Expected(text, "", calls, "tool_calls", usage, null);
    }

    /** A stream that sent {@code partialText} and then failed with an error of {@code kind}. */
    static Expected failedMidStream(String partialText, String kind) {
      return new Expected(partialText, "", List.of(), null, null, kind);
    }

    Expected withReasoning(String newReasoning) {
      return new Expected(text, newReasoning, toolCalls, finish, usage, streamError);
    }
  }

  static Upstream json(String fixture, Expected expected) {
    return new Upstream(fixture, () -> Fixtures.json(fixture), expected);
  }

  static Upstream sse(String fixture, Expected expected) {
    return new Upstream(fixture, () -> Fixtures.sse(fixture), expected);
  }
}
