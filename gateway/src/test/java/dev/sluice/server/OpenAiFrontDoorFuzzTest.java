package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import dev.sluice.pipeline.FrontDoor.FrontDoorException;
import dev.sluice.testing.EveryProvider;
import dev.sluice.testing.FuzzInputTimeout;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Fuzzes the OpenAI front door's request parsing ({@code POST /v1/chat/completions}) with arbitrary
 * bodies. Each one becomes a canonical request or a {@link FrontDoorException} carrying a 400 with a
 * message; any other exception would reach the client as a 500. An accepted request must re-encode
 * as OpenAI JSON that parses back, and encode for every provider (or fail with a 400).
 * Seeds: {@code src/test/resources/dev/sluice/server/OpenAiFrontDoorFuzzTestInputs/}.
 */
public final class OpenAiFrontDoorFuzzTest {

  @FuzzTest
  void chatRequestBodies(byte[] body) {
    oneInput(body);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] body) {
    FuzzInputTimeout.run("OpenAI chat request", body, () -> {
      ChatRequest request;
      try {
        request = OpenAiFrontDoor.INSTANCE.parse(Buffer.buffer(body));
      } catch (FrontDoorException e) {
        assertThat(e.error().status()).as(e.error().message()).isEqualTo(400);
        assertThat(e.error().message()).isNotBlank();
        return;
      }
      try {
        OpenAiRequestCodec.decode(Json.parse(Json.toBuffer(OpenAiRequestCodec.encode(request.body(), true))));
      } catch (IOException e) {
        throw new AssertionError("the re-encoded request is not JSON", e);
      }
      EveryProvider.encode(request);
    });
  }
}
