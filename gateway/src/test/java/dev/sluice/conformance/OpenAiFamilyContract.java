package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RecordedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What the provider types speaking OpenAI's Chat Completions wire format share: their answers
 * (OpenAI fixtures unless a subclass has its own) and how the request body must look. Where the
 * request goes and how it is authenticated is each subclass's.
 */
abstract class OpenAiFamilyContract extends ProviderContract {

  /** Whether the body names the model (Azure puts the deployment in the path instead). */
  protected boolean modelInBody() {
    return true;
  }

  /** The body part every OpenAI-format call shares: the model, and a stream that asks for usage. */
  protected void assertOpenAiBody(RecordedRequest req, boolean stream) {
    assertThat(req.method()).isEqualTo("POST");
    JsonNode body = req.json();
    if (modelInBody()) {
      assertThat(body.path("model").asText()).isEqualTo(targetModel());
    } else {
      assertThat(body.has("model")).as("no model in the body: %s", body).isFalse();
    }
    assertThat(body.path("stream").asBoolean(false)).as("stream flag in %s", body).isEqualTo(stream);
    if (stream) {
      assertThat(body.path("stream_options").path("include_usage").asBoolean())
          .as("Sluice always asks a stream for its usage").isTrue();
    }
  }

  @Override
  protected Upstream simpleAnswer() {
    return new Upstream("OpenAiFixtures.COMPLETION", () -> FakeResponse.json(200, OpenAiFixtures.COMPLETION),
        Expected.text("Hello! How can I help?", new UsageOut(19, 10, 4, 2L)));
  }

  @Override
  protected Upstream streamedAnswer() {
    return Upstream.sse("openai/stream-text.sse", Expected.text("Héllo 👋 world", new UsageOut(12, 4, 8, 1L)));
  }

  @Override
  protected Upstream toolCallAnswer() {
    return Upstream.json("conformance/openai/tool-calls.json", Expected.toolCalls("", List.of(
        call("call_Wx4b2YQnLr8s", "get_weather", "{\"location\":\"Paris, FR\",\"unit\":\"celsius\"}"),
        call("call_Tm9k1PzRc3vq", "get_time", "{\"timezone\":\"Europe/Paris\"}")), new UsageOut(82, 51, 0, 0L)));
  }

  @Override
  protected Upstream streamedToolCallAnswer() {
    return Upstream.sse("openai/stream-tools.sse", Expected.toolCalls("", List.of(
        call("call_abc", "get_weather", "{\"location\":\"Paris\"}"),
        call("call_def", "get_time", "{}")), new UsageOut(80, 30, 0, 0L)));
  }

  @Override
  protected Upstream usageAnswer() {
    return Upstream.json("conformance/openai/completion-cached-reasoning.json",
        Expected.text("Paris.", new UsageOut(1654, 341, 1536, 256L)));
  }

  @Override
  protected Upstream streamedUsageAnswer() {
    return streamedAnswer();
  }

  @Override
  protected Upstream jsonAnswer() {
    return Upstream.json("conformance/openai/json-answer.json",
        Expected.text("{\"city\":\"Paris\",\"population\":2102650}", new UsageOut(91, 12, 0, 0L)));
  }

  @Override
  protected Upstream midStreamError() {
    return Upstream.sse("openai/stream-error.sse", Expected.failedMidStream("Par", "upstream_failed"));
  }

  @Override
  protected String errorBody(int status) {
    return Fixtures.text("conformance/openai/error-" + status + ".json");
  }

  @Override
  protected void assertSimpleRequest(JsonNode body) {
    assertThat(body.path("messages")).isEqualTo(json("""
        [{"role":"system","content":"You are terse."},{"role":"user","content":"What is the capital of France?"}]"""));
    assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
  }

  @Override
  protected void assertToolsDeclared(JsonNode body) {
    assertThat(body.path("tools")).hasSize(2);
    for (int i = 0; i < TOOLS.size(); i++) {
      JsonNode tool = body.path("tools").get(i);
      assertThat(tool.path("type").asText()).isEqualTo("function");
      assertThat(tool.path("function").path("name").asText()).isEqualTo(TOOLS.get(i).name());
      assertThat(tool.path("function").path("description").asText()).isEqualTo(TOOLS.get(i).description());
      assertThat(tool.path("function").path("parameters")).isEqualTo(TOOLS.get(i).schema());
    }
  }

  @Override
  protected void assertToolHistory(JsonNode body) {
    JsonNode messages = body.path("messages");
    assertThat(roles(messages)).containsExactly("system", "user", "assistant", "tool", "tool");
    JsonNode assistant = messages.get(2);
    assertThat(assistant.path("content").asText()).isEqualTo("Let me look.");
    assertThat(assistant.path("tool_calls")).hasSize(2);
    for (int i = 0; i < HISTORY_CALLS.size(); i++) {
      JsonNode call = assistant.path("tool_calls").get(i);
      assertThat(call.path("id").asText()).isEqualTo(HISTORY_CALLS.get(i).id());
      assertThat(call.path("type").asText()).isEqualTo("function");
      assertThat(call.path("function").path("name").asText()).isEqualTo(HISTORY_CALLS.get(i).name());
      assertThat(json(call.path("function").path("arguments").asText()))
          .isEqualTo(json(HISTORY_CALLS.get(i).argumentsJson()));
    }
    assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_w1");
    assertThat(messages.get(3).path("content").asText()).isEqualTo(WEATHER_RESULT);
    assertThat(messages.get(4).path("tool_call_id").asText()).isEqualTo("call_t2");
    assertThat(messages.get(4).path("content").asText()).isEqualTo(TIME_RESULT);
  }

  @Override
  protected void assertImage(JsonNode body, String mediaType, String base64) {
    JsonNode messages = body.path("messages");
    JsonNode user = messages.get(messages.size() - 1);
    assertThat(user.path("role").asText()).isEqualTo("user");
    assertThat(user.path("content")).contains(
        json("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:" + mediaType + ";base64," + base64 + "\"}}"),
        json("{\"type\":\"text\",\"text\":\"What is in this image?\"}"));
  }

  @Override
  protected void assertJsonMode(JsonNode body, JsonNode schema) {
    JsonNode format = body.path("response_format");
    assertThat(format.path("type").asText()).as("response_format in %s", body).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("schema")).isEqualTo(schema);
  }

  static List<String> roles(JsonNode messages) {
    List<String> out = new ArrayList<>();
    messages.forEach(m -> out.add(m.path("role").asText()));
    return out;
  }
}
