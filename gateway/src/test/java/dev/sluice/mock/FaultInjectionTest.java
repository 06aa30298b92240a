package dev.sluice.mock;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.mock.MockHttp.Result;
import dev.sluice.mock.MockHttp.SseEvent;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultInjectionTest extends MockServerTestBase {

  @Test
  void status429CarriesRetryAfterInEveryWireFormat() {
    String prefix = "/fault/status=429,retry_after=2";

    Result openAi = http.post(prefix + "/v1/chat/completions", chatBody("hi", false));
    assertThat(openAi.status()).isEqualTo(429);
    assertThat(openAi.headers().get("Retry-After")).isEqualTo("2");
    assertThat(openAi.headers().get("x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(openAi.json().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(openAi.json().path("error").path("message").asText()).isNotBlank();

    Result anthropic = http.post(prefix + "/v1/messages", anthropicBody("hi", false));
    assertThat(anthropic.status()).isEqualTo(429);
    assertThat(anthropic.headers().get("Retry-After")).isEqualTo("2");
    assertThat(anthropic.json().path("type").asText()).isEqualTo("error");
    assertThat(anthropic.json().path("error").path("type").asText()).isEqualTo("rate_limit_error");

    Result gemini = http.post(prefix + "/v1beta/models/g:generateContent", geminiBody("hi"));
    assertThat(gemini.status()).isEqualTo(429);
    assertThat(gemini.headers().get("Retry-After")).isEqualTo("2");
    JsonNode error = gemini.json().path("error");
    assertThat(error.path("code").asInt()).isEqualTo(429);
    assertThat(error.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
  }

  @Test
  void status503MapsToOverloadedAndUnavailable() {
    Result anthropic = http.post("/v1/messages", anthropicBody("hi", true),
        "x-mock-fault", "status=503");
    assertThat(anthropic.status()).isEqualTo(503);
    assertThat(anthropic.headers().get("Retry-After")).isEqualTo("1");
    assertThat(anthropic.json().path("error").path("type").asText()).isEqualTo("overloaded_error");

    Result gemini = http.post("/v1beta/models/g:streamGenerateContent?alt=sse", geminiBody("hi"),
        "x-mock-fault", "status=503");
    assertThat(gemini.json().path("error").path("status").asText()).isEqualTo("UNAVAILABLE");
  }

  @Test
  void headerSelectsTheFaultAndPathPrefixWinsOverIt() {
    Result byHeader = http.post("/v1/chat/completions", chatBody("hi", false),
        "x-mock-fault", "status=502");
    assertThat(byHeader.status()).isEqualTo(502);
    assertThat(byHeader.json().path("error").path("type").asText()).isEqualTo("server_error");

    Result both = http.post("/fault/status=418/v1/chat/completions", chatBody("hi", false),
        "x-mock-fault", "status=502");
    assertThat(both.status()).isEqualTo(418);

    assertThat(http.post("/v1/chat/completions", chatBody("hi", false)).status()).isEqualTo(200);
  }

  @Test
  void defaultSpecAppliesOnlyWhenTheRequestNamesNone() {
    MockUpstream faulty = start(MockUpstreamOptions.builder().defaultFault("status=500").build());
    try (MockHttp client = new MockHttp(vertx, faulty.baseUrl())) {
      assertThat(client.post("/v1/chat/completions", chatBody("hi", false)).status())
          .isEqualTo(500);
      assertThat(client.post("/v1/chat/completions", chatBody("hi", false), "x-mock-fault", "")
          .status()).isEqualTo(200);
      assertThat(client.post("/fault//v1/chat/completions", chatBody("hi", false)).status())
          .isEqualTo(200);
    } finally {
      MockHttp.await(faulty.close());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/chat/completions", "/v1/messages",
      "/v1beta/models/g:streamGenerateContent?alt=sse"})
  void cutAfterTwoEndsTheStreamAbruptlyAfterTwoEvents(String path) {
    String body = path.startsWith("/v1beta") ? geminiBody("one two three")
        : path.equals("/v1/messages") ? anthropicBody("one two three", true)
        : chatBody("one two three", true);

    Result r = http.post("/fault/cut_after=2" + path, body);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.error()).as("connection closed mid-stream").isNotNull();
    List<SseEvent> events = r.events();
    assertThat(events).hasSize(2);
    assertThat(events).noneMatch(e -> e.data().equals("[DONE]"));
  }

  @Test
  void cutAfterOnANonStreamingResponseSendsHalfTheBody() {
    Result r = http.post("/v1/chat/completions", chatBody("hi", false), "x-mock-fault",
        "cut_after=1");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.error()).isNotNull();
    assertThat(r.body()).startsWith("{\"id\":\"chatcmpl-mock-").doesNotEndWith("}");
  }

  @Test
  void resetClosesTheConnectionWithoutAResponse() {
    CompletableFuture<Result> f = http.send(HttpMethod.POST, "/fault/reset/v1/messages",
        anthropicBody("hi", false)).toCompletionStage().toCompletableFuture();

    assertThatThrownBy(() -> f.get(10, SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void hangNeverAnswers() {
    CompletableFuture<Result> f = http.send(HttpMethod.POST, "/v1/chat/completions",
        chatBody("hi", false), "x-mock-fault", "hang").toCompletionStage().toCompletableFuture();

    assertThatThrownBy(() -> f.get(300, MILLISECONDS)).isInstanceOf(TimeoutException.class);
    // stopMock() closes the server, which drops the hung connection.
  }

  @Test
  void latencyDelaysTheHeaders() {
    Result r = http.post("/fault/latency=200ms/v1beta/models/g:generateContent",
        geminiBody("hi"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headersMillis()).isGreaterThanOrEqualTo(200);
  }

  @Test
  void chunkDelaySpacesStreamEvents() {
    // "hi" gives a 7-word answer, so 13 Anthropic events and 12 gaps of at least 15 ms.
    long start = System.nanoTime();
    Result r = http.post("/v1/messages", anthropicBody("hi", true), "x-mock-fault",
        "chunk_delay=15ms");

    assertThat(r.events()).hasSize(13);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(12 * 15);
  }

  @Test
  void wordsLengthensTheAnswer() {
    JsonNode json = http.post("/fault/words=50/v1/chat/completions", chatBody("hi", false))
        .json();

    assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(7 + 50);
    assertThat(json.path("choices").path(0).path("message").path("content").asText())
        .startsWith("This is a mock response to: hi lorem ipsum");
  }

  @Test
  void unknownFaultNameGetsA400NamingIt() {
    Result r = http.post("/fault/latncy=5ms/v1/messages", anthropicBody("hi", false));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(r.json().path("error").path("message").asText()).contains("latncy=5ms");
  }

  @Test
  void errorRateWithAFixedSeedIsReproducible() {
    List<Integer> first = statuses(7L);
    List<Integer> second = statuses(7L);

    assertThat(first).isEqualTo(second);
    assertThat(first).contains(200, 503); // with p = 0.5 over 20 draws both outcomes appear
  }

  private static List<Integer> statuses(long seed) {
    MockUpstream seeded = start(MockUpstreamOptions.builder().seed(seed).build());
    try (MockHttp client = new MockHttp(vertx, seeded.baseUrl())) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        statuses.add(client.post("/v1/chat/completions", chatBody("hi", false),
            "x-mock-fault", "error_rate=0.5,status=503,jitter=3ms").status());
      }
      return statuses;
    } finally {
      MockHttp.await(seeded.close());
    }
  }

  @Test
  void requiredKeyIsCheckedInEachWireFormat() {
    MockUpstream guarded = start(MockUpstreamOptions.builder().requiredKey("sk-test").build());
    try (MockHttp client = new MockHttp(vertx, guarded.baseUrl())) {
      Result openAi = client.post("/v1/chat/completions", chatBody("hi", false));
      assertThat(openAi.status()).isEqualTo(401);
      assertThat(openAi.json().path("error").path("code").asText()).isEqualTo("invalid_api_key");
      assertThat(client.post("/v1/chat/completions", chatBody("hi", false),
          "Authorization", "Bearer sk-test").status()).isEqualTo(200);

      Result anthropic = client.post("/v1/messages", anthropicBody("hi", false),
          "x-api-key", "wrong");
      assertThat(anthropic.status()).isEqualTo(401);
      assertThat(anthropic.json().path("error").path("type").asText())
          .isEqualTo("authentication_error");
      assertThat(client.post("/v1/messages", anthropicBody("hi", false), "x-api-key", "sk-test")
          .status()).isEqualTo(200);

      String gemini = "/v1beta/models/g:generateContent";
      assertThat(client.post(gemini, geminiBody("hi")).json().path("error").path("status")
          .asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(client.post(gemini, geminiBody("hi"), "x-goog-api-key", "sk-test").status())
          .isEqualTo(200);
      assertThat(client.post(gemini + "?key=sk-test", geminiBody("hi")).status()).isEqualTo(200);
    } finally {
      MockHttp.await(guarded.close());
    }
  }
}
