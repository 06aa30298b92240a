package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Load;
import dev.sluice.testing.TestGateway;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hedging cuts the tail: a late first token starts a second attempt elsewhere, within a budget. */
class HedgingEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @Test
  void hedgingCutsTheP99OfAHeavyTailedUpstreamWithinItsExtraAttemptCap() throws Exception {
    Random random = new Random(42);
    // Most answers take 20 ms, one in twenty takes 1.5 s: the shape of a provider's tail.
    upstream.dispatch(r -> {
      boolean slow;
      synchronized (random) {
        slow = random.nextDouble() < 0.05;
      }
      return FakeResponse.json(200, COMPLETION).latency(slow ? 1500 : 20);
    });
    String base = "http://127.0.0.1:" + upstream.port();
    try (TestGateway gw = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
        models:
          - name: plain
            targets: [ { provider: a, model: m }, { provider: b, model: m } ]
          - name: hedged
            targets: [ { provider: a, model: m }, { provider: b, model: m } ]
            hedge: { after: 150ms, max_extra: 10%% }
        keys: [ { key: %s, name: t } ]
        """.formatted(base, base, TestGateway.KEY))) {
      String plainBody = "{\"model\":\"plain\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
      String hedgedBody = plainBody.replace("plain", "hedged");
      Load.Result plain = Load.run(gw, "/v1/chat/completions", plainBody, 400, 8);
      Load.Result hedged = Load.run(gw, "/v1/chat/completions", hedgedBody, 400, 8);

      assertThat(plain.ok()).isEqualTo(400);
      assertThat(hedged.ok()).isEqualTo(400);
      assertThat(plain.percentileMs(99)).as("single-attempt p99").isGreaterThan(1400);
      assertThat(hedged.percentileMs(99)).as("hedged p99").isLessThan(plain.percentileMs(99) / 3);
      long hedges = hedged.responses().stream()
          .filter(r -> r.headers().firstValue("x-sluice-attempts").orElse("").contains(";hedge")).count();
      assertThat(hedges).as("hedges were used").isGreaterThan(5);
      assertThat(hedges / 400.0).as("extra attempts stay within max_extra").isLessThanOrEqualTo(0.10);
      assertThat(hedged.responses().stream().map(r -> r.headers().firstValue("x-sluice-attempts").orElse(""))
          .filter(a -> a.contains(";hedge")).findFirst().orElseThrow()).as("the loser is cancelled").contains("outcome=lost");
    }
  }
}
