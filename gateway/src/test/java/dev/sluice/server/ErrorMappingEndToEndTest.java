package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.SIMPLE_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every failure reaches the client as an OpenAI-shaped error with the right status, and no secret. */
class ErrorMappingEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    // One attempt per request: this test is about how each failure is shown, not about retries.
    gateway = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(),
        "timeouts: { first_token: 300ms, idle: 300ms, total: 2s }", "retries: { max_attempts: 1 }"));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  private static JsonNode error(HttpResponse<String> res) {
    JsonNode body = Sse.json(res.body());
    assertThat(body.has("error")).as("OpenAI error shape: %s", res.body()).isTrue();
    JsonNode e = body.get("error");
    assertThat(e.has("message") && e.has("type") && e.has("param") && e.has("code")).isTrue();
    assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
    return e;
  }

  @Test
  void malformedJsonIs400() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions", "{\"model\": \"chat\", ");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(error(res).get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void missingMessagesIs400NamingTheParameter() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions", "{\"model\":\"chat\"}");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(error(res).get("param").asText()).isEqualTo("messages");
  }

  @Test
  void wrongTypeDeepInsideIs400WithItsPath() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions",
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"robot\",\"content\":\"b\"}]}");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(error(res).get("param").asText()).isEqualTo("messages[1].role");
  }

  @Test
  void missingOrWrongKeyIs401() throws Exception {
    HttpResponse<String> none = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
        .POST(HttpRequest.BodyPublishers.ofString(SIMPLE_REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrong = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
        .header("authorization", "Bearer sk-not-the-key").POST(HttpRequest.BodyPublishers.ofString(SIMPLE_REQUEST)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(error(wrong).get("code").asText()).isEqualTo("invalid_api_key");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void xApiKeyHeaderIsAccepted() throws Exception {
    upstream.enqueue(FakeResponse.json(200, dev.sluice.testing.OpenAiFixtures.COMPLETION));
    HttpResponse<String> res = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
        .header("x-api-key", TestGateway.KEY).POST(HttpRequest.BodyPublishers.ofString(SIMPLE_REQUEST)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(200);
  }

  @Test
  void unknownModelIs404() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions",
        "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(error(res).get("code").asText()).isEqualTo("model_not_found");
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String big = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}";
    HttpResponse<String> res = gateway.post("/v1/chat/completions", big);
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(error(res).get("code").asText()).isEqualTo("request_too_large");
  }

  @Test
  void upstream500Is502WithTheProvidersMessage() throws Exception {
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(error(res).get("message").asText()).contains("The server had an error").contains("'up'");
  }

  @Test
  void upstream503Is503() throws Exception {
    upstream.enqueue(FakeResponse.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.statusCode()).isEqualTo(503);
    assertThat(res.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void upstream429Is429() throws Exception {
    upstream.enqueue(FakeResponse.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}")
        .header("retry-after", "2"));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.statusCode()).isEqualTo(429);
    assertThat(error(res).get("code").asText()).isEqualTo("rate_limit_exceeded");
  }

  @Test
  void upstreamClientErrorKeepsItsStatusAndMessage() throws Exception {
    upstream.enqueue(FakeResponse.json(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\","
        + "\"code\":\"context_length_exceeded\"}}"));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(error(res).get("code").asText()).isEqualTo("context_length_exceeded");
  }

  @Test
  void providerKeyRejectionNeverEchoesTheProvidersText() throws Exception {
    upstream.enqueue(FakeResponse.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-provider-secret-0123456789\"}}"));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(res.body()).doesNotContain("sk-provider").doesNotContain("0123456789");
  }

  @Test
  void secretsInOtherUpstreamMessagesAreRedacted() throws Exception {
    upstream.enqueue(FakeResponse.json(500, "{\"error\":{\"message\":\"failed for key sk-provider-secret-0123456789\"}}"));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.body()).doesNotContain("sk-provider-secret").contains("[redacted]");
  }

  @Test
  void upstreamThatNeverAnswersIs504WithinTheConfiguredTimeout() throws Exception {
    upstream.enqueue(FakeResponse.hang());
    long start = System.nanoTime();
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(res.statusCode()).isEqualTo(504);
    assertThat(error(res).get("message").asText()).contains("first token timeout");
    assertThat(ms).isLessThan(1_500);
  }

  @Test
  void connectionResetIs502() throws Exception {
    upstream.enqueue(FakeResponse.resetConnection());
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(error(res).get("type").asText()).isEqualTo("upstream_error");
  }

  @Test
  void unreachableProviderIs502() throws Exception {
    try (TestGateway dead = TestGateway.start(TestGateway.singleProvider("http://127.0.0.1:1/v1", ""))) {
      HttpResponse<String> res = dead.post("/v1/chat/completions", SIMPLE_REQUEST);
      assertThat(res.statusCode()).isEqualTo(502);
      assertThat(error(res).get("message").asText()).contains("Could not connect").doesNotContain("127.0.0.1");
    }
  }

  @Test
  void malformedUpstreamBodyIs502() throws Exception {
    upstream.enqueue(FakeResponse.json(200, "<html>gateway</html>"));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", SIMPLE_REQUEST);
    assertThat(res.statusCode()).isEqualTo(502);
  }

  @Test
  void unknownPathIs404InOpenAiShape() throws Exception {
    HttpResponse<String> res = gateway.get("/v1/nothing-here");
    assertThat(res.statusCode()).isEqualTo(404);
    error(res);
  }
}
