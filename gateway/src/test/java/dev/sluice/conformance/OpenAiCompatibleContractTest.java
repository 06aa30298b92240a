package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;

/**
 * The contract against an OpenAI-compatible server ({@code type: openai-compatible}): DeepSeek-style
 * reasoning answers ({@code reasoning_content}, cached prompt tokens) and vLLM-style error bodies.
 */
class OpenAiCompatibleContractTest extends OpenAiFamilyContract {
  static final String KEY = "sk-compat-conformance-0123456789";

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return "type: openai-compatible\nbase_url: " + upstream.baseUrl() + "\napi_key: " + KEY;
  }

  @Override
  protected String providerKey() {
    return KEY;
  }

  @Override
  protected String targetModel() {
    return "deepseek-reasoner";
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.uri()).isEqualTo("/v1/chat/completions");
    assertThat(req.header("authorization")).isEqualTo("Bearer " + KEY);
    assertOpenAiBody(req, stream);
  }

  @Override
  protected Upstream usageAnswer() {
    return Upstream.json("conformance/openai-compatible/reasoner.json",
        Expected.text("The capital of France is Paris.", new UsageOut(1240, 96, 1152, 82L))
            .withReasoning("The user asks for the capital of France. That is Paris."));
  }

  @Override
  protected Upstream streamedUsageAnswer() {
    return Upstream.sse("conformance/openai-compatible/reasoner-stream.sse",
        Expected.text("Paris.", new UsageOut(1240, 40, 1152, 31L))
            .withReasoning("Capital of France: Paris."));
  }

  @Override
  protected String errorBody(int status) {
    return Fixtures.text("conformance/openai-compatible/error-" + status + ".json");
  }
}
