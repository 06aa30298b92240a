package dev.sluice.provider.anthropic;

import static dev.sluice.provider.anthropic.AnthropicTestSupport.ADAPTER;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.TARGET;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.encode;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicRequestEncoderTest {

  private static final String USER_HI = "{\"role\":\"user\",\"content\":\"hi\"}";

  private static String req(String messages, String extra) {
    return "{\"model\":\"gpt-4o\",\"messages\":[" + messages + "]" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  private static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text);
  }

  @Test
  void sendsTheTargetModelAndAPlainUserTurn() throws IOException {
    JsonNode body = encode(req(USER_HI, ""));

    assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]"));
    assertThat(body.has("system")).isFalse();
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void aSingleSystemMessageBecomesTheSystemString() {
    JsonNode body = encode(req("{\"role\":\"system\",\"content\":\"Be brief.\"}," + USER_HI, ""));

    assertThat(body.get("system").asText()).isEqualTo("Be brief.");
    assertThat(body.get("messages")).hasSize(1);
  }

  @Test
  void systemAndDeveloperMessagesAreConcatenatedInOrderAsTextBlocks() throws IOException {
    JsonNode body = encode(req("{\"role\":\"system\",\"content\":\"You are a pirate.\"},"
        + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Answer in French.\"}]}," + USER_HI + ","
        + "{\"role\":\"assistant\",\"content\":\"Ahoy\"},{\"role\":\"system\",\"content\":\"Stay polite.\"},"
        + "{\"role\":\"user\",\"content\":\"again\"}", ""));

    assertThat(body.get("system")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"You are a pirate.\"},"
        + "{\"type\":\"text\",\"text\":\"Answer in French.\"},{\"type\":\"text\",\"text\":\"Stay polite.\"}]"));
    assertThat(roles(body)).containsExactly("user", "assistant", "user");
  }

  @Test
  void consecutiveMessagesOfOneRoleAreMergedIntoOneTurn() throws IOException {
    JsonNode body = encode(req(USER_HI + ",{\"role\":\"user\",\"content\":\"are you there?\"}", ""));

    assertThat(body.get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"text\",\"text\":\"are you there?\"}]}]"));
  }

  @Test
  void anEmptyAssistantMessageIsDroppedAndTheUserTurnsAroundItMerge() {
    JsonNode body = encode(req(USER_HI + ",{\"role\":\"assistant\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"hello?\"}", ""));

    assertThat(roles(body)).containsExactly("user");
    assertThat(body.get("messages").get(0).get("content")).hasSize(2);
  }

  @Test
  void toolCallsBecomeToolUseBlocksAndToolResultsShareOneUserTurnWithTheNextUserText() throws IOException {
    JsonNode body = encode(req("{\"role\":\"user\",\"content\":\"Weather in SF and NYC?\"},"
        + "{\"role\":\"assistant\",\"content\":\"Checking.\",\"reasoning_content\":\"I should call the tool twice.\","
        + "\"tool_calls\":["
        + "{\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"SF\\\"}\"}},"
        + "{\"id\":\"toolu_2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"NYC\\\"}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"18C, fog\"},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_2\",\"content\":[{\"type\":\"text\",\"text\":\"25C, sun\"}]},"
        + "{\"role\":\"user\",\"content\":\"Which is warmer?\"}", ""));

    assertThat(body.get("messages")).isEqualTo(json("""
        [{"role":"user","content":[{"type":"text","text":"Weather in SF and NYC?"}]},
         {"role":"assistant","content":[{"type":"text","text":"Checking."},
           {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"SF"}},
           {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"NYC"}}]},
         {"role":"user","content":[
           {"type":"tool_result","tool_use_id":"toolu_1","content":"18C, fog"},
           {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"25C, sun"}]},
           {"type":"text","text":"Which is warmer?"}]}]
        """));
    assertThat(body.toString()).doesNotContain("I should call the tool twice");
  }

  @Test
  void toolResultsComeBeforeUserTextEvenWhenTheUserTextWasSentFirst() {
    JsonNode body = encode(req("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"toolu_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"now\",\"arguments\":\"\"}}]},"
        + "{\"role\":\"user\",\"content\":\"(tool ran)\"},{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"noon\"}", ""));

    JsonNode userTurn = body.get("messages").get(1).get("content");
    assertThat(userTurn.get(0).get("type").asText()).isEqualTo("tool_result");
    assertThat(userTurn.get(1).get("type").asText()).isEqualTo("text");
    assertThat(body.get("messages").get(0).get("content").get(0).get("input").isObject()).isTrue();
  }

  @Test
  void toolArgumentsThatAreNotJsonAreRejectedNamingTheField() {
    String bad = req(USER_HI + ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},{\"id\":\"b\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\": \"}}]}", "");

    assertThatThrownBy(() -> encode(bad)).isInstanceOfSatisfying(WireFormatException.class,
        e -> assertThat(e.param()).isEqualTo("messages[1].tool_calls[1].function.arguments"));
  }

  @Test
  void toolArgumentsThatAreJsonButNotAnObjectAreRejected() {
    String bad = req(USER_HI + ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"[1,2]\"}}]}", "");

    assertThatThrownBy(() -> encode(bad)).isInstanceOfSatisfying(WireFormatException.class,
        e -> assertThat(e.param()).isEqualTo("messages[1].tool_calls[0].function.arguments"));
  }

  @Test
  void aToolMessageWithoutToolCallIdIsRejected() {
    assertThatThrownBy(() -> encode(req(USER_HI + ",{\"role\":\"tool\",\"content\":\"x\"}", "")))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.param()).isEqualTo("messages[1].tool_call_id"));
  }

  @Test
  void dataUrlImagesAreSentInlineAndHttpImagesByUrl() throws IOException {
    JsonNode body = encode(req("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Compare these\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\",\"detail\":\"high\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\"}}]}", ""));

    assertThat(body.get("messages").get(0).get("content")).isEqualTo(json("""
        [{"type":"text","text":"Compare these"},
         {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
         {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]
        """));
  }

  @Test
  void anImageUrlThatIsNeitherHttpNorBase64IsRejected() {
    String bad = req("{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"ftp://host/cat.png\"}}]}", "");

    assertThatThrownBy(() -> encode(bad)).isInstanceOfSatisfying(WireFormatException.class,
        e -> assertThat(e.param()).isEqualTo("messages[0].content[0].image_url.url"));
  }

  @Test
  void anUnknownContentPartIsRejectedNamingThePart() {
    String bad = req("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"listen\"},"
        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}}]}", "");

    assertThatThrownBy(() -> encode(bad)).isInstanceOfSatisfying(WireFormatException.class, e -> {
      assertThat(e.param()).isEqualTo("messages[0].content[1]");
      assertThat(e.getMessage()).contains("input_audio");
    });
  }

  @Test
  void toolsCarryNameDescriptionAndSchemaWithAnEmptyObjectSchemaByDefault() throws IOException {
    JsonNode body = encode(req(USER_HI, "\"tools\":["
        + "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather now\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"now\"}}]"));

    assertThat(body.get("tools")).isEqualTo(json("""
        [{"name":"get_weather","description":"Weather now",
          "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
         {"name":"now","input_schema":{"type":"object","properties":{}}}]
        """));
    assertThat(body.has("tool_choice")).isFalse();
  }

  private static final String ONE_TOOL = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";

  @Test
  void toolChoiceModesMapToAnthropicTypes() throws IOException {
    assertThat(encode(req(USER_HI, ONE_TOOL + ",\"tool_choice\":\"auto\"")).get("tool_choice")).isEqualTo(json("{\"type\":\"auto\"}"));
    assertThat(encode(req(USER_HI, ONE_TOOL + ",\"tool_choice\":\"required\"")).get("tool_choice")).isEqualTo(json("{\"type\":\"any\"}"));
    assertThat(encode(req(USER_HI, ONE_TOOL + ",\"tool_choice\":\"none\"")).get("tool_choice")).isEqualTo(json("{\"type\":\"none\"}"));
    assertThat(encode(req(USER_HI, ONE_TOOL + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"))
        .get("tool_choice")).isEqualTo(json("{\"type\":\"tool\",\"name\":\"f\"}"));
  }

  @Test
  void parallelToolCallsFalseDisablesParallelToolUse() throws IOException {
    assertThat(encode(req(USER_HI, ONE_TOOL + ",\"parallel_tool_calls\":false")).get("tool_choice"))
        .isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    assertThat(encode(req(USER_HI, ONE_TOOL + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false")).get("tool_choice"))
        .isEqualTo(json("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
    assertThat(encode(req(USER_HI, ONE_TOOL + ",\"parallel_tool_calls\":true")).has("tool_choice")).isFalse();
  }

  @Test
  void toolChoiceWithoutToolsIsNotSent() {
    JsonNode body = encode(req(USER_HI, "\"tool_choice\":\"none\",\"parallel_tool_calls\":false"));

    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.has("tools")).isFalse();
  }

  @Test
  void temperatureIsClampedToAnthropicsRange() {
    assertThat(encode(req(USER_HI, "\"temperature\":1.7")).get("temperature").asDouble()).isEqualTo(1.0);
    assertThat(encode(req(USER_HI, "\"temperature\":0.3")).get("temperature").asDouble()).isEqualTo(0.3);
    assertThat(encode(req(USER_HI, "\"temperature\":0")).get("temperature").asDouble()).isEqualTo(0.0);
    assertThat(encode(req(USER_HI, "")).has("temperature")).isFalse();
  }

  @Test
  void maxTokensPrefersMaxCompletionTokensThenMaxTokensThenTheDefault() throws IOException {
    assertThat(encode(req(USER_HI, "")).get("max_tokens").asInt()).isEqualTo(4096);
    assertThat(encode(req(USER_HI, "\"max_tokens\":100")).get("max_tokens").asInt()).isEqualTo(100);
    assertThat(encode(req(USER_HI, "\"max_tokens\":100,\"max_completion_tokens\":200")).get("max_tokens").asInt()).isEqualTo(200);

    AnthropicAdapter small = AnthropicAdapter.create(AnthropicOptions.defaults().withDefaultMaxTokens(1024));
    JsonNode body = Json.parse(small.encode(request(req(USER_HI, "")), TARGET).body());
    assertThat(body.get("max_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void stopBecomesStopSequencesAndSamplingAndUserPassThrough() throws IOException {
    JsonNode body = encode(req(USER_HI, "\"stop\":[\"END\",\"\\n\\nHuman:\"],\"top_p\":0.9,\"user\":\"user-42\",\"stream\":true"));

    assertThat(body.get("stop_sequences")).isEqualTo(json("[\"END\",\"\\n\\nHuman:\"]"));
    assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.get("metadata")).isEqualTo(json("{\"user_id\":\"user-42\"}"));
    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(encode(req(USER_HI, "\"stop\":\"STOP\"")).get("stop_sequences")).isEqualTo(json("[\"STOP\"]"));
  }

  @Test
  void jsonObjectModeIsEmulatedWithASystemInstruction() {
    JsonNode alone = encode(req(USER_HI, "\"response_format\":{\"type\":\"json_object\"}"));
    assertThat(alone.get("system").asText()).isEqualTo(AnthropicRequestEncoder.JSON_INSTRUCTION);

    JsonNode withSystem = encode(req("{\"role\":\"system\",\"content\":\"Extract the invoice.\"}," + USER_HI,
        "\"response_format\":{\"type\":\"json_object\"}"));
    assertThat(withSystem.get("system")).hasSize(2);
    assertThat(withSystem.get("system").get(0).get("text").asText()).isEqualTo("Extract the invoice.");
    assertThat(withSystem.get("system").get(1).get("text").asText()).isEqualTo(AnthropicRequestEncoder.JSON_INSTRUCTION);
    assertThat(withSystem.has("response_format")).isFalse();
  }

  @Test
  void jsonSchemaModePutsTheSchemaIntoTheInstruction() {
    JsonNode body = encode(req(USER_HI, "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\","
        + "\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}}}"));

    assertThat(body.get("system").asText())
        .startsWith(AnthropicRequestEncoder.JSON_SCHEMA_INSTRUCTION)
        .contains("{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}");
  }

  @Test
  void textResponseFormatAddsNothing() {
    assertThat(encode(req(USER_HI, "\"response_format\":{\"type\":\"text\"}")).has("system")).isFalse();
  }

  @Test
  void openAiOnlyParametersAreNotForwarded() {
    JsonNode body = encode(req(USER_HI, "\"seed\":7,\"logprobs\":true,\"frequency_penalty\":0.5,\"presence_penalty\":0.1,"
        + "\"reasoning_effort\":\"high\",\"service_tier\":\"auto\",\"n\":1,\"stream_options\":{\"include_usage\":true},"
        + "\"stream\":true,\"temperature\":0.5"));

    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyInAnyOrder("model", "max_tokens", "messages", "temperature", "stream");
  }

  @Test
  void askingForMoreThanOneChoiceIsRejected() {
    assertThatThrownBy(() -> encode(req(USER_HI, "\"n\":2")))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.param()).isEqualTo("n"));
  }

  @Test
  void encodingDoesNotMutateTheRequestAndIsRepeatable() {
    String text = req("{\"role\":\"system\",\"content\":\"sys\"}," + USER_HI
        + ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"t\",\"content\":\"ok\"}",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
        + "\"parallel_tool_calls\":false,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
        + "\"schema\":{\"type\":\"object\"}}},\"temperature\":1.5,\"seed\":3");
    ChatRequest request = request(text);
    ChatRequest pristine = request(text);

    String first = ADAPTER.encode(request, TARGET).body().toString();
    String second = ADAPTER.encode(request, TARGET).body().toString();

    assertThat(request).isEqualTo(pristine);
    assertThat(second).isEqualTo(first);
  }

  private static List<String> roles(JsonNode body) {
    List<String> roles = new ArrayList<>();
    body.get("messages").forEach(m -> roles.add(m.get("role").asText()));
    return roles;
  }
}
