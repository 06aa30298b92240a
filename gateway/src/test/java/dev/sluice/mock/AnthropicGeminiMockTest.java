package dev.sluice.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.mock.MockHttp.Result;
import dev.sluice.mock.MockHttp.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicGeminiMockTest extends MockServerTestBase {

  private static final String ANSWER = "This is a mock response to: hello there mock";
  private static final String GEMINI = "/v1beta/models/gemini-test";

  @Test
  void anthropicNonStreamingMessage() {
    Result r = http.post("/v1/messages", anthropicBody("hello there mock", false));

    assertThat(r.status()).isEqualTo(200);
    JsonNode json = r.json();
    assertThat(json.path("id").asText()).startsWith("msg_mock_");
    assertThat(json.path("type").asText()).isEqualTo("message");
    assertThat(json.path("role").asText()).isEqualTo("assistant");
    assertThat(json.path("model").asText()).isEqualTo("claude-test");
    assertThat(json.path("content").path(0).path("type").asText()).isEqualTo("text");
    assertThat(json.path("content").path(0).path("text").asText()).isEqualTo(ANSWER);
    assertThat(json.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(json.path("stop_sequence").isNull()).isTrue();
    JsonNode usage = json.path("usage");
    assertThat(usage.path("input_tokens").asInt()).isEqualTo(5);
    assertThat(usage.path("output_tokens").asInt()).isEqualTo(9);
    assertThat(usage.path("cache_creation_input_tokens").asInt()).isZero();
    assertThat(usage.path("cache_read_input_tokens").asInt()).isZero();
  }

  @Test
  void anthropicStreamHasTheFullEventSequence() {
    Result r = http.post("/v1/messages", anthropicBody("hello there mock", true));

    assertThat(r.headers().get("content-type")).startsWith("text/event-stream");
    List<SseEvent> events = r.events();
    assertThat(events).allSatisfy(e -> assertThat(e.json().path("type").asText())
        .isEqualTo(e.event()));
    List<String> names = events.stream().map(SseEvent::event).toList();
    assertThat(names.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
    assertThat(names.subList(3, 12)).containsOnly("content_block_delta").hasSize(9);
    assertThat(names.subList(12, names.size()))
        .containsExactly("content_block_stop", "message_delta", "message_stop");

    JsonNode start = events.get(0).json().path("message");
    assertThat(start.path("id").asText()).startsWith("msg_mock_");
    assertThat(start.path("model").asText()).isEqualTo("claude-test");
    assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(5);
    StringBuilder text = new StringBuilder();
    events.subList(3, 12).forEach(e -> {
      assertThat(e.json().path("delta").path("type").asText()).isEqualTo("text_delta");
      text.append(e.json().path("delta").path("text").asText());
    });
    assertThat(text.toString()).isEqualTo(ANSWER);
    JsonNode delta = events.get(13).json();
    assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(9);
  }

  @Test
  void anthropicMalformedJsonGetsInvalidRequestError() {
    Result r = http.post("/v1/messages", "[1,2");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("type").asText()).isEqualTo("error");
    assertThat(r.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void geminiGenerateContent() {
    Result r = http.post(GEMINI + ":generateContent", geminiBody("hello there mock"));

    assertThat(r.status()).isEqualTo(200);
    JsonNode json = r.json();
    JsonNode candidate = json.path("candidates").path(0);
    assertThat(candidate.path("content").path("role").asText()).isEqualTo("model");
    assertThat(candidate.path("content").path("parts").path(0).path("text").asText())
        .isEqualTo(ANSWER);
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    assertThat(candidate.path("index").asInt()).isZero();
    assertThat(json.path("usageMetadata").path("promptTokenCount").asInt()).isEqualTo(5);
    assertThat(json.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(9);
    assertThat(json.path("usageMetadata").path("totalTokenCount").asInt()).isEqualTo(14);
    assertThat(json.path("modelVersion").asText()).isEqualTo("gemini-test");
  }

  @Test
  void geminiSseStreamPutsFinishAndUsageOnTheLastEventOnly() {
    Result r = http.post(GEMINI + ":streamGenerateContent?alt=sse", geminiBody("hello there mock"));

    assertThat(r.headers().get("content-type")).startsWith("text/event-stream");
    List<JsonNode> events = r.events().stream().map(SseEvent::json).toList();
    assertThat(events).hasSize(9);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      boolean last = i == events.size() - 1;
      JsonNode candidate = e.path("candidates").path(0);
      text.append(candidate.path("content").path("parts").path(0).path("text").asText());
      assertThat(candidate.has("finishReason")).isEqualTo(last);
      assertThat(e.has("usageMetadata")).isEqualTo(last);
      assertThat(e.path("modelVersion").asText()).isEqualTo("gemini-test");
    }
    assertThat(text.toString()).isEqualTo(ANSWER);
    JsonNode last = events.get(8);
    assertThat(last.path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(last.path("usageMetadata").path("totalTokenCount").asInt()).isEqualTo(14);
  }

  @Test
  void geminiStreamWithoutAltSseIsOneJsonArray() {
    Result r = http.post(GEMINI + ":streamGenerateContent", geminiBody("hello there mock"));

    JsonNode array = r.json();
    assertThat(array.isArray()).isTrue();
    assertThat(array).hasSize(9);
    assertThat(array.path(8).path("candidates").path(0).path("finishReason").asText())
        .isEqualTo("STOP");
  }

  @Test
  void geminiUnknownMethodGetsGoogleShaped404() {
    Result r = http.post(GEMINI + ":embedContent", geminiBody("x"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").path("status").asText()).isEqualTo("NOT_FOUND");
    assertThat(r.json().path("error").path("code").asInt()).isEqualTo(404);
  }
}
