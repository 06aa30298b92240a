package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;

/** The contract against OpenAI ({@code type: openai}): {@code /v1/chat/completions}, Bearer key. */
class OpenAiContractTest extends OpenAiFamilyContract {
  static final String KEY = "sk-proj-conformance0123456789abcdef";

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return "type: openai\nbase_url: " + upstream.baseUrl() + "\napi_key: " + KEY;
  }

  @Override
  protected String providerKey() {
    return KEY;
  }

  @Override
  protected String targetModel() {
    return "gpt-4o-mini";
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.uri()).isEqualTo("/v1/chat/completions");
    assertThat(req.header("authorization")).isEqualTo("Bearer " + KEY);
    assertOpenAiBody(req, stream);
  }
}
