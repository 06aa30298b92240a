package dev.sluice.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.ChatRequest;
import dev.sluice.pipeline.FrontDoor.FrontDoorException;
import dev.sluice.testing.EveryProvider;
import dev.sluice.testing.FuzzInputTimeout;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Fuzzes the Anthropic front door's request parsing ({@code POST /v1/messages} and
 * {@code /v1/messages/count_tokens}) with arbitrary bodies. Each one becomes a canonical request or
 * a {@link FrontDoorException} carrying a 400 with a message; any other exception would reach the
 * client as a 500. An accepted request must be countable and encode for every provider (or fail
 * with a 400). Seeds: {@code src/test/resources/dev/sluice/server/anthropic/AnthropicFrontDoorFuzzTestInputs/}.
 */
public final class AnthropicFrontDoorFuzzTest {
  private static final AnthropicFrontDoor FRONT =
      new AnthropicFrontDoor(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  @FuzzTest
  void messagesRequestBodies(byte[] body) {
    oneInput(body);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] body) {
    FuzzInputTimeout.run("Anthropic messages request", body, () -> {
      ChatRequest request = parse(body, true);
      if (request != null) {
        EveryProvider.encode(request);
      }
      ChatRequest counted = parse(body, false);
      if (counted != null) {
        assertThat(AnthropicTokenCounter.countInputTokens(counted)).isNotNegative();
      }
    });
  }

  /** The request, or null when the front door refused it with a clean 400. */
  private static ChatRequest parse(byte[] body, boolean messages) {
    try {
      return messages ? FRONT.parse(Buffer.buffer(body)) : FRONT.parseForCounting(Buffer.buffer(body));
    } catch (FrontDoorException e) {
      assertThat(e.error().status()).as(e.error().message()).isEqualTo(400);
      assertThat(e.error().message()).isNotBlank();
      return null;
    }
  }
}
