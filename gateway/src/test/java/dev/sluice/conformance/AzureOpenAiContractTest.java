package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;

/**
 * The contract against Azure OpenAI ({@code type: azure-openai}): the deployment in the path, the
 * api-version in the query, the key in {@code api-key}; answers carry Azure's content-filter
 * annotations (a stream opens with a {@code prompt_filter_results} chunk without choices).
 */
class AzureOpenAiContractTest extends OpenAiFamilyContract {
  static final String KEY = "0f8e2a6b9c4d41e7a3b5c6d7e8f90123";
  static final String API_VERSION = "2024-10-21";

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return "type: azure-openai\nbase_url: http://127.0.0.1:" + upstream.port() + "\napi_key: " + KEY
        + "\napi_version: " + API_VERSION;
  }

  @Override
  protected String providerKey() {
    return KEY;
  }

  @Override
  protected String targetModel() {
    return "gpt-4o-mini-prod";
  }

  @Override
  protected boolean modelInBody() {
    return false;
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.uri()).isEqualTo("/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=" + API_VERSION);
    assertThat(req.header("api-key")).isEqualTo(KEY);
    assertThat(req.header("authorization")).isNull();
    assertOpenAiBody(req, stream);
  }

  @Override
  protected Upstream simpleAnswer() {
    return Upstream.json("conformance/azure/completion.json",
        Expected.text("The capital of France is Paris.", new UsageOut(24, 8, 0, 0L)));
  }

  @Override
  protected Upstream streamedAnswer() {
    return Upstream.sse("conformance/azure/stream-text.sse",
        Expected.text("Paris is the capital.", new UsageOut(24, 6, 0, 0L)));
  }

  @Override
  protected Upstream streamedUsageAnswer() {
    return Upstream.sse("openai/stream-text.sse", Expected.text("Héllo 👋 world", new UsageOut(12, 4, 8, 1L)));
  }

  @Override
  protected String errorBody(int status) {
    return Fixtures.text("conformance/azure/error-" + status + ".json");
  }
}
