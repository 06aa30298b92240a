package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static dev.sluice.testing.OpenAiFixtures.SIMPLE_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatCompletionsEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void nonStreamingAnswerIsRelayedVerbatimWithRoutingHeaders() throws Exception {
    upstream.enqueue(FakeResponse.json(200, COMPLETION));

    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(Sse.json(res.body())).isEqualTo(Sse.json(COMPLETION)); // refusal, annotations, service_tier kept
    assertThat(res.headers().firstValue("x-sluice-provider")).hasValue("up");
    assertThat(res.headers().firstValue("x-sluice-model")).hasValue("upstream-model");
    assertThat(res.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    assertThat(Double.parseDouble(res.headers().firstValue("x-sluice-overhead-ms").orElseThrow())).isGreaterThanOrEqualTo(0);
  }

  @Test
  void upstreamGetsTargetModelProviderKeyAndEveryClientParameter() throws Exception {
    upstream.enqueue(FakeResponse.json(200, COMPLETION));

    gateway.post("/chat/completions", """
        {"model":"chat","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hi"}],
         "temperature":0.2,"seed":7,"logit_bias":{"50256":-100},"reasoning_effort":"low","metadata":{"a":"b"}}""");

    RecordedRequest req = upstream.takeRequest();
    assertThat(req.uri()).isEqualTo("/v1/chat/completions");
    assertThat(req.header("authorization")).isEqualTo("Bearer sk-provider-secret-0123456789");
    JsonNode body = req.json();
    assertThat(body.get("model").asText()).isEqualTo("upstream-model");
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.get("seed").asInt()).isEqualTo(7);
    assertThat(body.get("logit_bias").get("50256").asInt()).isEqualTo(-100);
    assertThat(body.get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(body.get("metadata").get("a").asText()).isEqualTo("b");
    assertThat(body.get("messages")).hasSize(2);
  }

  @Test
  void anOpenAiRequestIsRelayedAsTheClientWroteItWithOnlyTheModelReplaced() throws Exception {
    upstream.enqueue(FakeResponse.json(200, COMPLETION));
    upstream.enqueue(FakeResponse.json(200, COMPLETION));
    // The client's own field order, spacing and number forms; a "model" nested in metadata stays.
    String body = "{ \"messages\": [{\"role\":\"user\",\"content\":\"Hi \\\"model\\\": x\"}],\n"
        + "  \"temperature\": 1, \"model\" : \"chat\", \"metadata\": {\"model\": \"mine\"}, \"top_k\": 40 }";

    assertThat(gateway.post("/v1/chat/completions", body).statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().body()).isEqualTo(body.replace("\"chat\"", "\"upstream-model\""));

    // A body the encoder changes (a message field it does not model) still goes the canonical way.
    assertThat(gateway.post("/v1/chat/completions", "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"temperature\":1}").statusCode()).isEqualTo(200);
    JsonNode encoded = upstream.takeRequest().json();
    assertThat(encoded.get("model").asText()).isEqualTo("upstream-model");
    assertThat(encoded.get("messages").get(0).has("cache_control")).isFalse();
    assertThat(encoded.get("temperature").isDouble()).isTrue();
  }

  @Test
  void clientRequestIdIsEchoed() throws Exception {
    upstream.enqueue(FakeResponse.json(200, COMPLETION));
    HttpResponse<String> res = gateway.http().send(gateway.request("/v1/chat/completions")
        .header("x-request-id", "trace-42").POST(java.net.http.HttpRequest.BodyPublishers.ofString(SIMPLE_REQUEST)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.headers().firstValue("x-request-id")).hasValue("trace-42");
  }

  @Test
  void streamWithoutIncludeUsageAsksUpstreamForUsageButStripsTheUsageChunk() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()));

    HttpResponse<String> res = gateway.post("/v1/chat/completions", OpenAiFixtures.streamRequest(false));

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
    assertThat(upstream.takeRequest().json().get("stream_options").get("include_usage").asBoolean()).isTrue();
    List<String> data = Sse.dataLines(res.body());
    assertThat(data).last().isEqualTo("[DONE]");
    assertThat(data).hasSize(6); // role, 3 deltas, finish, [DONE]: no usage chunk
    assertThat(data.subList(0, 5)).containsExactlyElementsOf(OpenAiFixtures.helloStream().subList(0, 5));
  }

  @Test
  void streamWithIncludeUsageKeepsTheUsageChunk() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()));

    HttpResponse<String> res = gateway.post("/v1/chat/completions", OpenAiFixtures.streamRequest(true));

    List<String> data = Sse.dataLines(res.body());
    assertThat(data).hasSize(7);
    assertThat(Sse.json(data.get(5)).get("usage").get("total_tokens").asInt()).isEqualTo(12);
    assertThat(data.get(6)).isEqualTo("[DONE]");
  }

  @Test
  void providerSlashModelGoesStraightToThatProvider() throws Exception {
    upstream.enqueue(FakeResponse.json(200, COMPLETION));

    HttpResponse<String> res = gateway.post("/v1/chat/completions",
        "{\"model\":\"up/some-other-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest().json().get("model").asText()).isEqualTo("some-other-model");
    assertThat(res.headers().firstValue("x-sluice-model")).hasValue("some-other-model");
  }

  @Test
  void modelsListShowsConfiguredNamesInOpenAiShape() throws Exception {
    HttpResponse<String> res = gateway.get("/v1/models");
    JsonNode body = Sse.json(res.body());
    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("data")).hasSize(1);
    assertThat(body.get("data").get(0).get("id").asText()).isEqualTo("chat");
    assertThat(body.get("data").get(0).get("object").asText()).isEqualTo("model");
  }

  @Test
  void embeddingsAreRoutedAndRelayed() throws Exception {
    upstream.enqueue(FakeResponse.json(200, """
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2]}],
         "model":"text-embedding-3-small","usage":{"prompt_tokens":3,"total_tokens":3}}"""));

    HttpResponse<String> res = gateway.post("/v1/embeddings",
        "{\"model\":\"chat\",\"input\":\"hello world\",\"dimensions\":2}");

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(Sse.json(res.body()).get("data").get(0).get("embedding").get(1).asDouble()).isEqualTo(-0.2);
    RecordedRequest req = upstream.takeRequest();
    assertThat(req.uri()).isEqualTo("/v1/embeddings");
    assertThat(req.json().get("model").asText()).isEqualTo("upstream-model");
    assertThat(req.json().get("dimensions").asInt()).isEqualTo(2);
  }

  @Test
  void healthAndMetricsEndpointsAnswer() throws Exception {
    upstream.enqueue(FakeResponse.json(200, COMPLETION));
    gateway.post("/v1/chat/completions", SIMPLE_REQUEST);

    assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(200);
    String metrics = gateway.get("/metrics").body();
    assertThat(metrics).contains("sluice_requests_total{endpoint=\"chat\",model=\"chat\",provider=\"up\",status=\"200\",stream=\"false\"} 1.0");
    assertThat(metrics).contains("sluice_request_duration_seconds_bucket");
    assertThat(metrics).contains("sluice_tokens_total{model=\"chat\",provider=\"up\",type=\"input\"} 19.0");
    assertThat(metrics).contains("sluice_tokens_total{model=\"chat\",provider=\"up\",type=\"cached_read\"} 4.0");
    assertThat(metrics).doesNotContain("sk-provider-secret");
  }
}
