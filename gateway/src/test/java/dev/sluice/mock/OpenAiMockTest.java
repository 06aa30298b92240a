package dev.sluice.mock;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.mock.MockHttp.Result;
import dev.sluice.mock.MockHttp.SseEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiMockTest extends MockServerTestBase {

  private static final String ANSWER = "This is a mock response to: hello there mock";

  @Test
  void statsCountEveryRequestServedButNotThemselves() {
    http.post("/v1/chat/completions", chatBody("one", false));
    http.post("/fault/status=500/v1/chat/completions", chatBody("two", false));
    http.get("/v1/nothing-here");

    Result stats = http.get("/mock/stats");

    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().path("requests").asLong()).isEqualTo(3);
    assertThat(http.get("/mock/stats").json().path("requests").asLong()).isEqualTo(3);
  }

  @Test
  void nonStreamingCompletionEchoesTheLastUserMessage() {
    Result r = http.post("/v1/chat/completions", chatBody("hello there mock", false));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).startsWith("application/json");
    JsonNode json = r.json();
    assertThat(json.path("id").asText()).startsWith("chatcmpl-mock-");
    assertThat(json.path("object").asText()).isEqualTo("chat.completion");
    assertThat(json.path("created").asLong()).isPositive();
    assertThat(json.path("model").asText()).isEqualTo("gpt-test");
    JsonNode choice = json.path("choices").path(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isEqualTo(ANSWER);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = json.path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(5); // "be brief" + 3 words
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(9);
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(14);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").isInt()).isTrue();
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").isInt()).isTrue();
  }

  @Test
  void streamWithoutUsageSendsRoleContentFinishAndDone() {
    Result r = http.post("/v1/chat/completions", chatBody("hello there mock", true));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).startsWith("text/event-stream");
    List<SseEvent> events = r.events();
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> chunks = events.subList(0, events.size() - 1).stream()
        .map(SseEvent::json).toList();
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.path("id").asText()).startsWith("chatcmpl-mock-");
      assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.path("model").asText()).isEqualTo("gpt-test");
      assertThat(c.path("created").asLong()).isPositive();
      assertThat(c.has("usage")).isFalse();
    });
    assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asText())
        .isEqualTo("assistant");
    JsonNode last = chunks.get(chunks.size() - 1).path("choices").path(0);
    assertThat(last.path("delta").size()).isZero();
    assertThat(last.path("finish_reason").asText()).isEqualTo("stop");
    StringBuilder content = new StringBuilder();
    chunks.subList(1, chunks.size() - 1).forEach(c -> {
      content.append(c.path("choices").path(0).path("delta").path("content").asText());
      assertThat(c.path("choices").path(0).path("finish_reason").isNull()).isTrue();
    });
    assertThat(content.toString()).isEqualTo(ANSWER);
    assertThat(chunks).hasSize(1 + 9 + 1); // role, one per word, finish
  }

  @Test
  void streamWithIncludeUsageEndsWithAUsageChunk() {
    String body = chatBody("hello there mock", true)
        .replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    List<SseEvent> events = http.post("/v1/chat/completions", body).events();

    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    JsonNode usageChunk = events.get(events.size() - 2).json();
    assertThat(usageChunk.path("choices").isArray()).isTrue();
    assertThat(usageChunk.path("choices").size()).isZero();
    assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(9);
    assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
    JsonNode finish = events.get(events.size() - 3).json();
    assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.path("usage").isNull()).isTrue(); // explicit null, as OpenAI sends
  }

  @Test
  void requiredToolChoiceAnswersWithAToolCall() {
    String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"other\"}}],"
        + "\"tool_choice\":\"required\"}";
    JsonNode choice = http.post("/v1/chat/completions", body).json().path("choices").path(0);

    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode call = choice.path("message").path("tool_calls").path(0);
    assertThat(call.path("id").asText()).isEqualTo("call_mock_1");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{}");
    assertThat(choice.path("message").path("content").isNull()).isTrue();
  }

  @Test
  void namedToolChoiceStreamsTheToolCallInFragments() {
    String body = "{\"model\":\"gpt-test\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"b\"}}],"
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}}";
    List<SseEvent> events = http.post("/v1/chat/completions", body).events();

    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    List<JsonNode> deltas = events.subList(0, events.size() - 1).stream()
        .map(e -> e.json().path("choices").path(0)).toList();
    assertThat(deltas.get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    JsonNode first = deltas.get(1).path("delta").path("tool_calls").path(0);
    assertThat(first.path("index").asInt()).isZero();
    assertThat(first.path("id").asText()).isEqualTo("call_mock_1");
    assertThat(first.path("type").asText()).isEqualTo("function");
    assertThat(first.path("function").path("name").asText()).isEqualTo("b");
    assertThat(first.path("function").path("arguments").asText()).isEmpty();
    String arguments = deltas.get(2).path("delta").path("tool_calls").path(0)
        .path("function").path("arguments").asText()
        + deltas.get(3).path("delta").path("tool_calls").path(0)
        .path("function").path("arguments").asText();
    assertThat(arguments).isEqualTo("{}");
    assertThat(deltas.get(4).path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(deltas).hasSize(5);
  }

  @Test
  void autoToolChoiceAnswersInText() {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],"
        + "\"tool_choice\":\"auto\"}";
    JsonNode json = http.post("/v1/chat/completions", body).json();

    assertThat(json.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("This is a mock response to: hi");
    assertThat(json.path("model").asText()).isEqualTo("mock-model");
  }

  @Test
  void embeddingsAreDeterministicPerInput() {
    JsonNode json = http.post("/v1/embeddings",
        "{\"model\":\"emb-test\",\"input\":[\"alpha\",\"beta gamma\",\"alpha\"]}").json();

    assertThat(json.path("object").asText()).isEqualTo("list");
    assertThat(json.path("model").asText()).isEqualTo("emb-test");
    JsonNode data = json.path("data");
    assertThat(data).hasSize(3);
    assertThat(data.path(1).path("object").asText()).isEqualTo("embedding");
    assertThat(data.path(1).path("index").asInt()).isEqualTo(1);
    assertThat(data.path(0).path("embedding")).hasSize(8);
    assertThat(data.path(0).path("embedding")).isEqualTo(data.path(2).path("embedding"));
    assertThat(data.path(0).path("embedding")).isNotEqualTo(data.path(1).path("embedding"));
    assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(4);
    assertThat(json.path("usage").path("total_tokens").asInt()).isEqualTo(4);

    JsonNode single = http.post("/v1/embeddings", "{\"input\":\"alpha\"}").json();
    assertThat(single.path("data").path(0).path("embedding"))
        .isEqualTo(data.path(0).path("embedding"));
  }

  @Test
  void base64EmbeddingsDecodeToTheSameFloats() {
    JsonNode floats = http.post("/v1/embeddings", "{\"input\":\"alpha\"}").json()
        .path("data").path(0).path("embedding");
    String encoded = http.post("/v1/embeddings",
        "{\"input\":\"alpha\",\"encoding_format\":\"base64\"}").json()
        .path("data").path(0).path("embedding").asText();

    ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(encoded))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      assertThat(buf.getFloat()).isEqualTo(floats.path(i).floatValue());
    }
  }

  @Test
  void longStreamWithWordsArrivesComplete() {
    List<SseEvent> events = http.post("/v1/chat/completions", chatBody("hi", true),
        "x-mock-fault", "words=5000").events();

    assertThat(events).hasSize(1 + 7 + 5_000 + 1 + 1);
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
  }

  @Test
  void answersClientsThatExpect100Continue() throws Exception {
    HttpClient jdk = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(mock.baseUrl() + "/v1/chat/completions"))
        .expectContinue(true)
        .timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString(chatBody("hi", false)))
        .build();

    HttpResponse<String> response = jdk.sendAsync(request,
        HttpResponse.BodyHandlers.ofString()).get(10, SECONDS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("This is a mock response to: hi");
  }

  @Test
  void listsModels() {
    JsonNode json = http.get("/v1/models").json();

    assertThat(json.path("object").asText()).isEqualTo("list");
    assertThat(json.path("data").path(0).path("object").asText()).isEqualTo("model");
  }

  @Test
  void malformedJsonGetsA400InOpenAiShape() {
    Result r = http.post("/v1/chat/completions", "{not json");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(r.json().path("error").path("message").asText()).contains("not valid JSON");
  }

  @Test
  void unknownEndpointGetsA404() {
    Result r = http.post("/v1/completions", "{}");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").path("message").asText()).contains("/v1/completions");
  }
}
