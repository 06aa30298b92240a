package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.Target;
import dev.sluice.provider.EmbeddingsAdapter;
import dev.sluice.provider.azure.AzureOpenAiAdapter;
import dev.sluice.provider.gemini.GeminiAdapter;
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.testing.FuzzInputTimeout;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Fuzzes the parsing of {@code POST /v1/embeddings} bodies: each one becomes a request or a
 * {@link FrontDoor.FrontDoorException} carrying a 400; an accepted one encodes for every provider
 * type with embeddings, or fails with the {@link WireFormatException} the handler answers as a 400.
 * Seeds: {@code src/test/resources/dev/sluice/pipeline/EmbeddingsRequestFuzzTestInputs/}.
 */
public final class EmbeddingsRequestFuzzTest {
  private static final Target TARGET = new Target("fuzz", "fuzz-embedding-model", 1);
  private static final List<EmbeddingsAdapter> ADAPTERS =
      List.of(OpenAiAdapter.instance(), new AzureOpenAiAdapter("2024-10-21"), new GeminiAdapter());

  @FuzzTest
  void embeddingsRequestBodies(byte[] body) {
    oneInput(body);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] body) {
    FuzzInputTimeout.run("embeddings request", body, () -> {
      EmbeddingsRequest request;
      try {
        request = EmbeddingsHandler.parse(dev.sluice.core.RequestJson.DEFAULTS, Buffer.buffer(body));
      } catch (FrontDoor.FrontDoorException e) {
        assertThat(e.error().status()).as(e.error().message()).isEqualTo(400);
        assertThat(e.error().message()).isNotBlank();
        return;
      }
      assertThat(request.model()).isNotEmpty();
      for (EmbeddingsAdapter adapter : ADAPTERS) {
        try {
          adapter.encodeEmbeddings(request, TARGET);
        } catch (WireFormatException e) {
          assertThat(e.getMessage()).isNotBlank();
        }
      }
    });
  }
}
