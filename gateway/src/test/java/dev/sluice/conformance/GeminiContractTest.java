package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract against Gemini ({@code type: gemini}): {@code generateContent} and
 * {@code streamGenerateContent?alt=sse} with {@code x-goog-api-key}. Gemini streams each function
 * call whole (no argument fragments) and matches tool results by function name, not id; its
 * thinking tokens are output tokens and its cached tokens part of the prompt count.
 */
class GeminiContractTest extends ProviderContract {
  /** The key Google's own 401 text quotes back (fixture gemini/error-401.json). */
  static final String KEY = "AIzaSyDk3xampleExampleExample1234567";

  @Override
  protected String providerYaml(FakeUpstream upstream) {
    return "type: gemini\nbase_url: http://127.0.0.1:" + upstream.port() + "\napi_key: " + KEY;
  }

  @Override
  protected String providerKey() {
    return KEY;
  }

  @Override
  protected String targetModel() {
    return "gemini-2.5-flash";
  }

  @Override
  protected void assertAddressedAndAuthenticated(RecordedRequest req, boolean stream) {
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.uri()).isEqualTo("/v1beta/models/gemini-2.5-flash"
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    assertThat(req.header("x-goog-api-key")).isEqualTo(KEY);
    assertThat(req.header("authorization")).isNull();
    assertThat(req.json().path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(256);
  }

  @Override
  protected Upstream simpleAnswer() {
    return Upstream.json("gemini/text-response.json",
        Expected.text("The capital of France is Paris.", new UsageOut(9, 8, 0, 0L)));
  }

  @Override
  protected Upstream streamedAnswer() {
    return Upstream.sse("gemini/stream-text.sse", Expected.text(
        "Why did the chicken cross the road? To get to the other side — ünïcødé 🐔.", new UsageOut(7, 19, 0, 0L)));
  }

  @Override
  protected Upstream toolCallAnswer() {
    // output = candidates 31 + thoughts 60
    return Upstream.json("gemini/function-call-response.json", Expected.toolCalls("", List.of(
        call("call_0", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
        call("call_1", "get_time", "{\"timezone\":\"Europe/Paris\"}")), new UsageOut(112, 91, 0, 60L)));
  }

  @Override
  protected Upstream streamedToolCallAnswer() {
    // Three calls over two events, each call whole; output = candidates 42 + thoughts 64.
    return Upstream.sse("gemini/stream-function-call.sse", Expected.toolCalls("", List.of(
        call("call_0", "get_weather", "{\"city\":\"Paris\"}"),
        call("call_1", "get_weather", "{\"city\":\"Tokyo\"}"),
        call("call_2", "get_time", "{\"timezone\":\"Asia/Tokyo\",\"format\":{\"hour12\":false}}")),
        new UsageOut(95, 106, 0, 64L)));
  }

  @Override
  protected Upstream usageAnswer() {
    // output = candidates 12 + thoughts 384; cachedContentTokenCount 1536 of promptTokenCount 2014
    return Upstream.json("gemini/thinking-response.json",
        Expected.text("There are 3 r's in \"strawberry\".", new UsageOut(2014, 396, 1536, 384L))
            .withReasoning("**Counting the letters**\n\nI need to count each 'r' in \"strawberry\": s-t-r-a-w-b-e-r-r-y."));
  }

  @Override
  protected Upstream streamedUsageAnswer() {
    return Upstream.sse("gemini/stream-thinking.sse",
        Expected.text("Soft rain on the roof,\npuddles hold the grey sky still,\nfrogs begin to sing.",
            new UsageOut(1290, 109, 1024, 88L)).withReasoning("**Planning the answer**\n\nThe user wants a haiku about rain."));
  }

  @Override
  protected Upstream jsonAnswer() {
    return Upstream.json("conformance/gemini/json-answer.json",
        Expected.text("{\"city\": \"Paris\", \"population\": 2102650}", new UsageOut(24, 15, 0, 0L)));
  }

  @Override
  protected Upstream midStreamError() {
    return Upstream.sse("gemini/stream-error.sse",
        Expected.failedMidStream("Here is the first part of a long", "overloaded"));
  }

  @Override
  protected String errorBody(int status) {
    return Fixtures.text("gemini/error-" + (status == 400 ? "400-invalid-argument" : Integer.toString(status)) + ".json");
  }

  @Override
  protected void assertSimpleRequest(JsonNode body) {
    assertThat(body.path("systemInstruction").path("parts")).isEqualTo(json("[{\"text\":\"You are terse.\"}]"));
    assertThat(body.path("contents")).isEqualTo(json("""
        [{"role":"user","parts":[{"text":"What is the capital of France?"}]}]"""));
  }

  @Override
  protected void assertToolsDeclared(JsonNode body) {
    JsonNode declarations = body.path("tools").path(0).path("functionDeclarations");
    assertThat(declarations).hasSize(2);
    for (int i = 0; i < TOOLS.size(); i++) {
      JsonNode d = declarations.get(i);
      assertThat(d.path("name").asText()).isEqualTo(TOOLS.get(i).name());
      assertThat(d.path("description").asText()).isEqualTo(TOOLS.get(i).description());
      assertThat(names(d.path("parameters").path("properties")))
          .isEqualTo(names(TOOLS.get(i).schema().path("properties")));
      assertThat(d.path("parameters").path("required")).isEqualTo(TOOLS.get(i).schema().path("required"));
    }
  }

  @Override
  protected void assertToolHistory(JsonNode body) {
    JsonNode contents = body.path("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.get(0).path("role").asText()).isEqualTo("user");
    JsonNode model = contents.get(1);
    assertThat(model.path("role").asText()).isEqualTo("model");
    JsonNode parts = model.path("parts");
    assertThat(parts).hasSize(3);
    assertThat(parts.get(0).path("text").asText()).isEqualTo("Let me look.");
    assertThat(parts.get(1).path("functionCall")).isEqualTo(json("""
        {"name":"get_weather","args":{"location":"Paris, FR","unit":"celsius"}}"""));
    assertThat(parts.get(2).path("functionCall")).isEqualTo(json("""
        {"name":"get_time","args":{"timezone":"Europe/Paris"}}"""));
    JsonNode results = contents.get(2);
    assertThat(results.path("role").asText()).isEqualTo("user");
    assertThat(results.path("parts")).as("one user turn holding both results").hasSize(2);
    JsonNode weather = results.path("parts").get(0).path("functionResponse");
    assertThat(weather.path("name").asText()).as("matched to its call by name").isEqualTo("get_weather");
    assertThat(weather.path("response").path("content")).isEqualTo(json(WEATHER_RESULT));
    JsonNode time = results.path("parts").get(1).path("functionResponse");
    assertThat(time.path("name").asText()).isEqualTo("get_time");
    assertThat(time.path("response").path("content")).isEqualTo(json("{\"result\":\"14:05\"}"));
  }

  @Override
  protected void assertImage(JsonNode body, String mediaType, String base64) {
    JsonNode contents = body.path("contents");
    assertThat(contents).hasSize(1);
    assertThat(contents.get(0).path("parts")).contains(
        json("{\"inlineData\":{\"mimeType\":\"" + mediaType + "\",\"data\":\"" + base64 + "\"}}"),
        json("{\"text\":\"What is in this image?\"}"));
  }

  @Override
  protected void assertJsonMode(JsonNode body, JsonNode schema) {
    JsonNode config = body.path("generationConfig");
    assertThat(config.path("responseMimeType").asText()).as("generationConfig of %s", body)
        .isEqualTo("application/json");
    assertThat(names(config.path("responseSchema").path("properties"))).isEqualTo(names(schema.path("properties")));
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
