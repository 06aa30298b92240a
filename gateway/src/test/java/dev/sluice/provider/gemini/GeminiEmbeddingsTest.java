package dev.sluice.provider.gemini;

import static dev.sluice.provider.gemini.GeminiTestSupport.adapter;
import static dev.sluice.provider.gemini.GeminiTestSupport.fixture;
import static dev.sluice.provider.gemini.GeminiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class GeminiEmbeddingsTest {
  private static final Target EMBED = new Target("google", "text-embedding-004", 1);

  private static EmbeddingsRequest embeddings(String body) {
    ObjectNode node = (ObjectNode) json(body);
    return new EmbeddingsRequest(node.get("model").asText(), node);
  }

  @Test
  void eachInputBecomesOneRequestOfABatchEmbedContentsCall() throws Exception {
    EmbeddingsRequest request = embeddings("""
        {"model": "embed", "input": ["first text", "second text"], "dimensions": 256, "encoding_format": "float"}""");

    UpstreamRequest up = adapter().encodeEmbeddings(request, EMBED);

    assertThat(up.path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    assertThat(up.stream()).isFalse();
    assertThat(Json.parse(up.body())).isEqualTo(json("""
        {"requests": [
          {"model": "models/text-embedding-004", "content": {"parts": [{"text": "first text"}]}, "outputDimensionality": 256},
          {"model": "models/text-embedding-004", "content": {"parts": [{"text": "second text"}]}, "outputDimensionality": 256}]}"""));
    assertThat(request.body().get("model").asText()).as("request untouched").isEqualTo("embed");
  }

  @Test
  void aSingleStringInputIsOneRequest() throws Exception {
    UpstreamRequest up = adapter().encodeEmbeddings(embeddings("{\"model\": \"embed\", \"input\": \"hello\"}"), EMBED);

    assertThat(Json.parse(up.body()).at("/requests")).hasSize(1);
    assertThat(Json.parse(up.body()).at("/requests/0/content/parts/0/text").asText()).isEqualTo("hello");
  }

  @Test
  void tokenIdInputsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> adapter().encodeEmbeddings(embeddings("{\"model\": \"embed\", \"input\": [[1, 2, 3]]}"), EMBED))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.param()).isEqualTo("input"));
  }

  @Test
  void theAnswerIsOpenAiShapedWithOneEmbeddingPerInputInOrder() {
    EmbeddingsResponse r = adapter().decodeEmbeddings(fixture("embeddings-response.json"));

    assertThat(r.body().get("object").asText()).isEqualTo("list");
    assertThat(r.body().get("data")).hasSize(2);
    assertThat(r.body().at("/data/0")).isEqualTo(json("""
        {"object": "embedding", "index": 0, "embedding": [0.013168523, -0.008711934, -0.046782676, 0.00069968984]}"""));
    assertThat(r.body().at("/data/1/index").asInt()).isEqualTo(1);
    assertThat(r.body().at("/data/1/embedding/3").asDouble()).isEqualTo(0.04718101);
    assertThat(r.body().get("model").isTextual()).isTrue();
    assertThat(r.body().get("usage").toString()).isEqualTo("{\"prompt_tokens\":0,\"total_tokens\":0}");
    assertThat(r.usage()).isEqualTo(TokenUsage.ZERO);
  }

  @Test
  void anAnswerWithoutEmbeddingsIsAServerError() {
    assertThatThrownBy(() -> adapter().decodeEmbeddings(Buffer.buffer("{\"embedding\": {\"values\": [1]}}")))
        .isInstanceOfSatisfying(UpstreamFailure.class,
            f -> assertThat(f.error().errorClass()).isEqualTo(ErrorClass.SERVER_ERROR));
  }
}
