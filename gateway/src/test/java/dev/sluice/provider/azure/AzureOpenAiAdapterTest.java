package dev.sluice.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.openai.OpenAiAdapter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureOpenAiAdapterTest {
  private static final AzureOpenAiAdapter AZURE = new AzureOpenAiAdapter("2024-10-21");
  private static final Target DEPLOYMENT = new Target("azure", "gpt-4o-prod", 1);

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ChatRequest request(String text) {
    return new ChatRequest(OpenAiRequestCodec.decode(json(text)));
  }

  private static JsonNode body(UpstreamRequest up) {
    return json(up.body().toString());
  }

  @Test
  void chatGoesToTheDeploymentPathWithTheApiVersionAndTheKeyInApiKey() {
    UpstreamRequest up = AZURE.encode(request("""
        {"model": "smart", "messages": [{"role": "user", "content": "Hi"}]}"""), DEPLOYMENT);

    assertThat(up.path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    assertThat(up.stream()).isFalse();
    assertThat(AZURE.auth().header()).isEqualTo("api-key");
    assertThat(AZURE.auth().prefix()).isEmpty();
  }

  @Test
  void theBodyIsOpenAisWithoutTheModelSinceThePathNamesTheDeployment() {
    ChatRequest r = request("""
        {"model": "smart", "stream": true, "temperature": 0.3, "messages": [{"role": "user", "content": "Hi"}],
         "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
         "data_sources": [{"type": "azure_search"}]}""");

    UpstreamRequest up = AZURE.encode(r, DEPLOYMENT);

    ObjectNode expected = (ObjectNode) body(OpenAiAdapter.instance().encode(r, DEPLOYMENT));
    expected.remove("model");
    assertThat(body(up)).isEqualTo(expected);
    assertThat(body(up).has("model")).isFalse();
    assertThat(body(up).at("/stream_options/include_usage").asBoolean()).as("usage asked for accounting").isTrue();
    assertThat(body(up).has("data_sources")).as("Azure extensions pass through").isTrue();
    assertThat(up.path()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    assertThat(up.stream()).isTrue();
    assertThat(r.body().model()).isEqualTo("smart");
  }

  @Test
  void deploymentNamesAreUrlEncoded() {
    UpstreamRequest up = AZURE.encode(request("""
        {"model": "smart", "messages": [{"role": "user", "content": "Hi"}]}"""), new Target("azure", "my deploy/1", 1));

    assertThat(up.path()).startsWith("/openai/deployments/my%20deploy%2F1/chat/completions?");
  }

  @Test
  void embeddingsGoToTheDeploymentWithoutAModelAndTheRequestStaysIntact() {
    ObjectNode node = (ObjectNode) json("{\"model\": \"embed\", \"input\": [\"a\", \"b\"], \"dimensions\": 256}");
    EmbeddingsRequest r = new EmbeddingsRequest("embed", node);

    UpstreamRequest up = AZURE.encodeEmbeddings(r, new Target("azure", "ada-prod", 1));

    assertThat(up.path()).isEqualTo("/openai/deployments/ada-prod/embeddings?api-version=2024-10-21");
    assertThat(body(up)).isEqualTo(json("{\"input\": [\"a\", \"b\"], \"dimensions\": 256}"));
    assertThat(node.get("model").asText()).isEqualTo("embed");
  }

  @Test
  void answersAndStreamsAreReadAsOpenAis() {
    Buffer answer = Buffer.buffer("""
        {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-2024-08-06",
         "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {}}],
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}""");

    ChatResponse r = AZURE.decode(answer);
    assertThat(r.body().choices().get(0).message().content().text()).isEqualTo("Hello");
    assertThat(r.usage().input()).isEqualTo(5);
    assertThat(r.openAiJson()).as("relayed byte for byte").isEqualTo(answer);

    StreamTranslator t = AZURE.newStreamTranslator(request("""
        {"model": "smart", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}"""));
    List<ChatChunk> chunks = new ArrayList<>();
    t.onBytes(Buffer.buffer("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n"), chunks::add);
    t.onEnd(chunks::add);
    assertThat(chunks).hasSize(1);
    assertThat(t.completed()).isTrue();
  }

  @Test
  void azureContentFilterRejectionsAreClassifiedAsContentFilter() {
    UpstreamError e = AZURE.classify(400, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("""
        {"error": {"message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
          "type": null, "param": "prompt", "code": "content_filter", "status": 400,
          "innererror": {"code": "ResponsibleAIPolicyViolation", "content_filter_result": {
            "hate": {"filtered": false, "severity": "safe"}, "violence": {"filtered": true, "severity": "high"}}}}}"""));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONTENT_FILTER);
    assertThat(e.toApiError().code()).isEqualTo("content_filter");
  }

  @Test
  void azureRateLimitsAndKeyFailuresAreClassifiedLikeOpenAis() {
    UpstreamError limited = AZURE.classify(429, MultiMap.caseInsensitiveMultiMap().add("retry-after", "6"), Buffer.buffer("""
        {"error": {"code": "429", "message": "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after 6 seconds."}}"""));
    UpstreamError denied = AZURE.classify(401, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("""
        {"error": {"code": "401", "message": "Access denied due to invalid subscription key or wrong API endpoint."}}"""));

    assertThat(limited.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(6));
    assertThat(denied.errorClass()).isEqualTo(ErrorClass.AUTH);
  }

  @Test
  void anApiVersionIsRequired() {
    assertThatThrownBy(() -> new AzureOpenAiAdapter(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
