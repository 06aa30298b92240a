package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import java.util.List;

/**
 * The contract against Anthropic ({@code type: anthropic}): {@code /v1/messages} with
 * {@code x-api-key} and {@code anthropic-version}. Anthropic reports cache reads and writes apart
 * from {@code input_tokens} and no reasoning-token count (thinking is part of the output), so
 * the OpenAI front shows reasoning_tokens 0.
 */
class AnthropicContractTest extends ProviderContract {
  static final String KEY = "sk-ant-api03-conformance-secret-0123456789";

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return "type: anthropic\nbase_url: http://127.0.0.1:" + upstream.port() + "\napi_key: " + KEY;
  }

  @Override
  protected String providerKey() {
    return KEY;
  }

  @Override
  protected String targetModel() {
    return "claude-sonnet-4-5";
  }

  @Override
  protected List<Integer> errorStatuses() {
    return List.of(400, 401, 429, 500, 529);
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.uri()).isEqualTo("/v1/messages");
    assertThat(req.header("x-api-key")).isEqualTo(KEY);
    assertThat(req.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(req.header("authorization")).isNull();
    JsonNode body = req.json();
    assertThat(body.path("model").asText()).isEqualTo(targetModel());
    assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(body.path("stream").asBoolean(false)).as("stream flag in %s", body).isEqualTo(stream);
  }

  @Override
  protected Upstream simpleAnswer() {
    return Upstream.json("anthropic/response/text.json",
        Expected.text("Hi! My name is Claude. How can I help?", new UsageOut(2095, 503, 0, 0L)));
  }

  @Override
  protected Upstream streamedAnswer() {
    return Upstream.sse("anthropic/stream/text.sse",
        Expected.text("Grüß dich, schön dich zu sehen 👋", new UsageOut(25, 15, 0, 0L)));
  }

  @Override
  protected Upstream toolCallAnswer() {
    return Upstream.json("anthropic/response/tool_use.json", Expected.toolCalls(
        "I'll check the current weather in both cities.", List.of(
            call("toolu_01A09q90qw90lq917835lq9", "get_weather", "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"),
            call("toolu_01B18r81rx81mr828946mr0", "get_weather", "{\"location\":\"New York, NY\",\"unit\":\"celsius\"}")),
        new UsageOut(512, 104, 0, 0L)));
  }

  @Override
  protected Upstream streamedToolCallAnswer() {
    // A text block (index 0) before the tool_use block (index 1): the OpenAI front must see tool index 0.
    return Upstream.sse("anthropic/stream/tool_use_after_text.sse", Expected.toolCalls(
        "Let me check the weather in San Francisco.", List.of(
            call("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}")),
        new UsageOut(472, 89, 0, 0L)));
  }

  @Override
  protected Upstream usageAnswer() {
    // input 21 + cache write 188086 + cache read 4000
    return Upstream.json("anthropic/response/thinking_cached.json",
        Expected.text("The capital of France is Paris.", new UsageOut(192_107, 393, 4000, 0L))
            .withReasoning("The user wants the capital of France. That is Paris."));
  }

  @Override
  protected Upstream streamedUsageAnswer() {
    // input 50 + cache write 300 + cache read 1200
    return Upstream.sse("anthropic/stream/thinking.sse",
        Expected.text("27 × 453 = 12,231", new UsageOut(1550, 212, 1200, 0L))
            .withReasoning("27 * 453: 27 * 400 = 10800, 27 * 53 = 1431, total 12231."));
  }

  @Override
  protected Upstream jsonAnswer() {
    return Upstream.json("conformance/anthropic/json-answer.json",
        Expected.text("{\"city\":\"Paris\",\"population\":2102650}", new UsageOut(188, 17, 0, 0L)));
  }

  @Override
  protected Upstream midStreamError() {
    return Upstream.sse("anthropic/stream/error_mid_stream.sse", Expected.failedMidStream("Once upon a", "overloaded"));
  }

  @Override
  protected String errorBody(int status) {
    return Fixtures.text("anthropic/errors/" + switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "authentication";
      case 429 -> "rate_limit";
      case 500 -> "api_error";
      case 529 -> "overloaded";
      default -> throw new IllegalArgumentException("no Anthropic error fixture for " + status);
    } + ".json");
  }

  @Override
  protected void assertSimpleRequest(JsonNode body) {
    // From the Anthropic front the client's own body goes on as sent: text blocks or plain strings.
    JsonNode system = body.path("system");
    assertThat(system.isArray() ? system.get(0).path("text").asText() : system.asText()).isEqualTo(SYSTEM);
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    JsonNode content = messages.get(0).path("content");
    assertThat(content.isTextual() ? json("[{\"type\":\"text\",\"text\":" + content + "}]") : content)
        .isEqualTo(json("""
            [{"type":"text","text":"What is the capital of France?"}]"""));
  }

  @Override
  protected void assertToolsDeclared(JsonNode body) {
    assertThat(body.path("tools")).hasSize(2);
    for (int i = 0; i < TOOLS.size(); i++) {
      JsonNode tool = body.path("tools").get(i);
      assertThat(tool.path("name").asText()).isEqualTo(TOOLS.get(i).name());
      assertThat(tool.path("description").asText()).isEqualTo(TOOLS.get(i).description());
      assertThat(tool.path("input_schema")).isEqualTo(TOOLS.get(i).schema());
    }
  }

  @Override
  protected void assertToolHistory(JsonNode body) {
    JsonNode messages = body.path("messages");
    assertThat(OpenAiFamilyContract.roles(messages)).as("alternating turns in %s", messages)
        .containsExactly("user", "assistant", "user");
    assertThat(messages.get(1).path("content")).isEqualTo(json("""
        [{"type":"text","text":"Let me look."},
         {"type":"tool_use","id":"call_w1","name":"get_weather","input":{"location":"Paris, FR","unit":"celsius"}},
         {"type":"tool_use","id":"call_t2","name":"get_time","input":{"timezone":"Europe/Paris"}}]"""));
    assertThat(messages.get(2).path("content")).as("one user turn holding both results").isEqualTo(json("""
        [{"type":"tool_result","tool_use_id":"call_w1","content":"{\\"temperature\\":18,\\"unit\\":\\"celsius\\"}"},
         {"type":"tool_result","tool_use_id":"call_t2","content":"14:05"}]"""));
  }

  @Override
  protected void assertImage(JsonNode body, String mediaType, String base64) {
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).path("content")).contains(
        json("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"" + mediaType + "\",\"data\":\""
            + base64 + "\"}}"),
        json("{\"type\":\"text\",\"text\":\"What is in this image?\"}"));
  }

  /** Natively (output_config.format), or as the system instruction the adapter writes for it. */
  @Override
  protected void assertJsonMode(JsonNode body, JsonNode schema) {
    JsonNode nativeFormat = body.path("output_config").path("format");
    if (nativeFormat.isObject()) {
      assertThat(nativeFormat.path("type").asText()).isEqualTo("json_schema");
      assertThat(nativeFormat.path("schema")).isEqualTo(schema);
      return;
    }
    StringBuilder system = new StringBuilder(body.path("system").asText(""));
    body.path("system").forEach(block -> system.append('\n').append(block.path("text").asText()));
    assertThat(system.toString()).as("the JSON instruction in the system prompt of %s", body)
        .contains("JSON").contains(schema.toString());
  }
}
