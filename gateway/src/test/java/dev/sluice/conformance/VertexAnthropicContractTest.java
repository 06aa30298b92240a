package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeGoogleAuth;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against Claude on Vertex AI ({@code type: vertex}, a {@code claude-*} model):
 * Anthropic's Messages bodies, answers and streams at {@code .../publishers/anthropic/models/M:rawPredict}
 * ({@code :streamRawPredict}), the body without {@code model} and with
 * {@code anthropic_version: vertex-2023-10-16}, a Google OAuth token as {@code Authorization: Bearer}.
 */
class VertexAnthropicContractTest extends AnthropicContractTest {
  @RegisterExtension
  final FakeGoogleAuth google = new FakeGoogleAuth();

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return VertexGeminiContractTest.vertexYaml(upstream, google);
  }

  @Override
  protected String providerKey() {
    return "ya29.fake-";
  }

  @Override
  protected String targetModel() {
    return "claude-sonnet-4-5@20250929";
  }

  @Override
  protected List<Integer> errorStatuses() {
    return List.of(400, 429, 500, 529);
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.uri()).isEqualTo(VertexGeminiContractTest.PREFIX + "anthropic/models/claude-sonnet-4-5@20250929"
        + (stream ? ":streamRawPredict" : ":rawPredict"));
    assertThat(req.header("authorization")).startsWith("Bearer ya29.fake-");
    assertThat(req.header("x-api-key")).isNull();
    JsonNode body = req.json();
    assertThat(body.has("model")).as("the model is in the path, not the body: %s", body).isFalse();
    assertThat(body.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(body.path("stream").asBoolean(false)).as("stream flag in %s", body).isEqualTo(stream);
    assertThat(google.refusals()).as("the fake token endpoint accepted the signed JWT").isEmpty();
  }
}
