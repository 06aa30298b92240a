package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeGoogleAuth;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against Gemini on Vertex AI ({@code type: vertex}, a {@code gemini-*} model): Gemini's
 * bodies, answers and streams at {@code /v1/projects/P/locations/L/publishers/google/models/M}, with
 * a Google OAuth token (from a service-account key, through a fake token endpoint) as
 * {@code Authorization: Bearer}. A 401 renews the token and resends (see {@link VertexAuthEndToEndTest});
 * the other statuses are Gemini's.
 */
class VertexGeminiContractTest extends GeminiContractTest {
  static final String PREFIX = "/v1/projects/test-project/locations/us-central1/publishers/";

  @RegisterExtension
  final FakeGoogleAuth google = new FakeGoogleAuth();

  static String vertexYaml(FakeUpstream upstream, FakeGoogleAuth google) {
    try {
      return "type: vertex\nproject: test-project\nlocation: us-central1\nbase_url: http://127.0.0.1:"
          + upstream.port() + "\ncredentials_file: " + google.serviceAccountFile();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return vertexYaml(upstream, google);
  }

  /** The access token: it must never reach a client. */
  @Override
  protected String providerKey() {
    return "ya29.fake-";
  }

  @Override
  protected List<Integer> errorStatuses() {
    return List.of(400, 429, 500, 503);
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.uri()).isEqualTo(PREFIX + "google/models/gemini-2.5-flash"
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    assertThat(req.header("authorization")).startsWith("Bearer ya29.fake-");
    assertThat(req.header("x-goog-api-key")).isNull();
    assertThat(req.json().path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(256);
    assertThat(google.refusals()).as("the fake token endpoint accepted the signed JWT").isEmpty();
  }
}
