package dev.sluice.server.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.requestlog.RequestDetail;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/responses} end to end over real sockets: what only OpenAI can serve passes through to a
 * provider of type openai (body relayed both ways, only {@code model} rewritten), is refused with a
 * 400 naming the field when the model routes to Anthropic, and stored responses are read and deleted
 * through it; every call goes through the pipeline (retries before the first byte, the ledger, the
 * request log).
 */
class ResponsesPassThroughTest {
  @RegisterExtension
  final FakeUpstream openai = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream anthropic = new FakeUpstream();

  static final String STORED = """
      {"id":"resp_67ccd2bed1ec8190","object":"response","created_at":1741476542,"status":"completed",
       "model":"gpt-4.1-2025-04-14","output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant",
       "content":[{"type":"output_text","text":"In a land far away.","annotations":[]}]}],
       "previous_response_id":"resp_prev","store":true,
       "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":12},"output_tokens":87,
       "output_tokens_details":{"reasoning_tokens":20},"total_tokens":123}}""";

  private TestGateway gateway() throws Exception {
    return TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - { name: oai, type: openai, base_url: "%s", api_key: sk-openai-secret-0123456789 }
          - { name: claude, type: anthropic, base_url: "http://127.0.0.1:%d", api_key: sk-ant-secret-0123456789 }
        models:
          - name: gpt
            targets: [ { provider: oai, model: gpt-4.1 } ]
            retries: { max_attempts: 2, backoff: 1ms, max_backoff: 1ms }
          - name: claude
            targets: [ { provider: claude, model: claude-sonnet-4 } ]
        keys:
          - { key: %s, name: tester }
        """.formatted(openai.baseUrl(), anthropic.port(), TestGateway.KEY));
  }

  @Test
  void previousResponseIdPassesThroughToOpenAiAndIsAccounted() throws Exception {
    openai.enqueue(FakeResponse.json(200, STORED));
    try (TestGateway gw = gateway()) {
      HttpResponse<String> res = gw.post("/v1/responses",
          "{\"model\":\"gpt\",\"input\":\"And then?\",\"previous_response_id\":\"resp_prev\",\"store\":true,"
              + "\"tools\":[{\"type\":\"web_search\"}]}");

      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).isEqualTo(STORED); // OpenAI's own answer, byte for byte
      RecordedRequest sent = openai.takeRequest();
      assertThat(sent.uri()).isEqualTo("/v1/responses");
      assertThat(sent.header("authorization")).isEqualTo("Bearer sk-openai-secret-0123456789");
      assertThat(sent.json()).isEqualTo(Json.MAPPER.readTree(
          "{\"model\":\"gpt-4.1\",\"input\":\"And then?\",\"previous_response_id\":\"resp_prev\",\"store\":true,"
              + "\"tools\":[{\"type\":\"web_search\"}]}"));

      RequestDetail logged = logged(gw, res.headers().firstValue("x-request-id").orElseThrow());
      assertThat(logged.request().endpoint()).isEqualTo("responses");
      assertThat(logged.request().provider()).isEqualTo("oai");
      assertThat(logged.attempts()).hasSize(1);
      LedgerRow row = logged.attempts().get(0);
      assertThat(row.inputTokens()).isEqualTo(36);
      assertThat(row.cachedReadTokens()).isEqualTo(12);
      assertThat(row.outputTokens()).isEqualTo(87);
      assertThat(row.reasoningTokens()).isEqualTo(20);
    }
  }

  @Test
  void aStreamedPassThroughRelaysOpenAisEventsAsTheyCame() throws Exception {
    List<String> events = List.of(
        "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_s\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":{\"id\":\"resp_s\",\"object\":\"response\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1,\"total_tokens\":6}}}");
    openai.enqueue(FakeResponse.sse(events));
    try (TestGateway gw = gateway()) {
      HttpResponse<String> res = gw.post("/v1/responses",
          "{\"model\":\"gpt\",\"input\":\"Hi\",\"store\":true,\"stream\":true}");

      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).isEqualTo(String.join("\n\n", events) + "\n\n");
      assertThat(openai.takeRequest().json().path("stream").asBoolean()).isTrue();
      LedgerRow row = logged(gw, res.headers().firstValue("x-request-id").orElseThrow()).attempts().get(0);
      assertThat(row.inputTokens()).isEqualTo(5);
      assertThat(row.outputTokens()).isEqualTo(1);
    }
  }

  @Test
  void whatOnlyOpenAiCanServeIsRefusedWhenTheModelRoutesToAnthropic() throws Exception {
    try (TestGateway gw = gateway()) {
      HttpResponse<String> res = gw.post("/v1/responses",
          "{\"model\":\"claude\",\"input\":\"And then?\",\"previous_response_id\":\"resp_prev\"}");
      assertThat(res.statusCode()).isEqualTo(400);
      JsonNode error = Json.MAPPER.readTree(res.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("param").asText()).isEqualTo("previous_response_id");
      assertThat(error.path("message").asText()).isEqualTo(
          "previous_response_id needs an OpenAI target (provider type openai); model 'claude' routes to claude/claude-sonnet-4");

      HttpResponse<String> tool = gw.post("/v1/responses",
          "{\"model\":\"claude\",\"input\":\"News?\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"web_search\"}]}");
      assertThat(tool.statusCode()).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(tool.body()).path("error").path("message").asText())
          .startsWith("tools[1].type=web_search needs an OpenAI target");
      assertThat(anthropic.requestCount()).isZero();
    }
  }

  @Test
  void storedResponsesAreReadAndDeletedThroughOpenAi() throws Exception {
    openai.dispatch(r -> r.method().equals("POST") || r.uri().equals("/v1/responses/resp_67ccd2bed1ec8190") && r.method().equals("GET")
        ? FakeResponse.json(200, STORED)
        : r.method().equals("DELETE") ? FakeResponse.json(200,
            "{\"id\":\"resp_67ccd2bed1ec8190\",\"object\":\"response.deleted\",\"deleted\":true}")
        : r.uri().endsWith("/input_items?limit=2") ? FakeResponse.json(200, "{\"object\":\"list\",\"data\":[]}")
        : FakeResponse.json(404, "{\"error\":{\"message\":\"Response with id 'x' not found.\",\"type\":\"invalid_request_error\"}}"));
    try (TestGateway gw = gateway()) {
      // Created through Sluice first: only the key that created a stored response reaches it.
      assertThat(gw.post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Hi\",\"store\":true}").statusCode()).isEqualTo(200);
      Await.until("the response's owner recorded", () -> Await.await(gw.gateway().store().storedResponses()
          .find("resp_67ccd2bed1ec8190")).isPresent(), Duration.ofSeconds(15));
      HttpResponse<String> got = gw.get("/v1/responses/resp_67ccd2bed1ec8190");
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(STORED);
      assertThat(gw.get("/v1/responses/resp_67ccd2bed1ec8190/input_items?limit=2").body())
          .isEqualTo("{\"object\":\"list\",\"data\":[]}");

      HttpResponse<String> deleted = gw.http().send(gw.request("/v1/responses/resp_67ccd2bed1ec8190").DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(deleted.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(deleted.body()).path("deleted").asBoolean()).isTrue();

      HttpResponse<String> missing = gw.get("/v1/responses/resp_nobody_stored");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(Json.MAPPER.readTree(missing.body()).path("error").path("message").asText())
          .isEqualTo("Response with id 'resp_nobody_stored' not found.");
      assertThat(anthropic.requestCount()).as("only OpenAI stores responses").isZero();
    }
  }

  @Test
  void aTranslatedCallIsRetriedBeforeItsFirstByteAndLogged() throws Exception {
    openai.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    openai.enqueue(FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    try (TestGateway gw = gateway()) {
      HttpResponse<String> res = gw.http().send(gw.request("/v1/responses").POST(HttpRequest.BodyPublishers.ofString(
          "{\"model\":\"gpt\",\"input\":\"Hi\",\"metadata\":{\"ticket\":\"T-1\"}}")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(res.statusCode()).isEqualTo(200);
      JsonNode body = Json.MAPPER.readTree(res.body());
      assertThat(body.path("object").asText()).isEqualTo("response");
      assertThat(body.path("output").get(0).path("content").get(0).path("text").asText())
          .isEqualTo("Hello! How can I help?");
      assertThat(body.path("metadata").path("ticket").asText()).isEqualTo("T-1");
      assertThat(res.headers().firstValue("x-sluice-attempts").orElseThrow()).contains("status=500").contains("status=200");
      assertThat(openai.takeRequest().uri()).isEqualTo("/v1/chat/completions"); // translated: no native feature

      RequestDetail logged = logged(gw, res.headers().firstValue("x-request-id").orElseThrow());
      assertThat(logged.request().endpoint()).isEqualTo("responses");
      assertThat(logged.request().status()).isEqualTo(200);
      assertThat(logged.attempts()).hasSize(2);
      assertThat(logged.attempts().get(1).retry()).isTrue();
      assertThat(logged.attempts().get(1).inputTokens()).isEqualTo(19);
    }
  }

  /** The request's log entry with its ledger rows, once the writer has written them. */
  private static RequestDetail logged(TestGateway gw, String id) {
    RequestDetail[] found = new RequestDetail[1];
    Await.until("request " + id + " in the request log", () -> {
      Await.await(gw.gateway().ledger().flush());
      Optional<RequestDetail> d = Await.await(gw.gateway().store().requests().find(id, "tester"));
      found[0] = d.orElse(null);
      return d.isPresent() && !d.get().attempts().isEmpty();
    }, Duration.ofSeconds(15));
    return found[0];
  }
}
