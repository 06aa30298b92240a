package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Target;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.provider.ToolAdaptations;
import dev.sluice.provider.azure.AzureOpenAiAdapter;
import dev.sluice.testing.ToolFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool-call ids and tool schemas as OpenAI, Azure OpenAI, Mistral and other compatible servers receive them. */
class OpenAiToolAdaptationTest {
  private static final Target TARGET = new Target("p", "m", 1);

  private static JsonNode wire(ProviderAdapter adapter, ChatRequest request) {
    return ToolFixtures.parse(adapter.encode(request, TARGET).body().toString());
  }

  /** Call ids in order, then result ids in order. */
  private static List<List<String>> ids(JsonNode body) {
    List<String> calls = new ArrayList<>();
    List<String> results = new ArrayList<>();
    for (JsonNode m : body.get("messages")) {
      m.path("tool_calls").forEach(c -> calls.add(c.get("id").asText()));
      if (m.has("tool_call_id")) {
        results.add(m.get("tool_call_id").asText());
      }
    }
    return List.of(calls, results);
  }

  private static void assertPaired(List<List<String>> ids) {
    List<String> calls = ids.get(0);
    assertThat(ids.get(1)).containsExactly(calls.get(1), calls.get(0), calls.get(2), calls.get(3), calls.get(4));
  }

  @Test
  void openAiGetsIdsOfAtMost40CharactersStillPaired() {
    ChatRequest request = ToolFixtures.request(ToolFixtures.FOREIGN_IDS);
    List<List<String>> ids = ids(wire(OpenAiAdapter.official(), request));

    assertThat(ids.get(0)).hasSize(5).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id.length()).isLessThanOrEqualTo(40));
    assertPaired(ids);
    assertThat(ids.get(0).get(0)).isEqualTo("functions.get_weather:0"); // OpenAI takes any short id
    assertThat(ids.get(0).get(1)).startsWith("fc_68f1c2a9e4b88190a1b2c3d4").hasSize(40);
    assertThat(OpenAiAdapter.official().toolAdaptations(request, TARGET)).containsExactly("tool_call_ids");
  }

  @Test
  void azureFollowsOpenAisRules() {
    AzureOpenAiAdapter azure = new AzureOpenAiAdapter("2024-10-21");
    ChatRequest request = ToolFixtures.request(ToolFixtures.FOREIGN_IDS);
    List<List<String>> ids = ids(wire(azure, request));

    assertThat(ids.get(0)).allSatisfy(id -> assertThat(id.length()).isLessThanOrEqualTo(40));
    assertPaired(ids);
    assertThat(((ToolAdaptations) azure).toolAdaptations(request, TARGET)).containsExactly("tool_call_ids");
  }

  @Test
  void mistralGetsNineLetterAndDigitIdsStillPaired() {
    OpenAiAdapter mistral = OpenAiAdapter.compatible("https://api.mistral.ai/v1");
    ChatRequest request = ToolFixtures.request(ToolFixtures.FOREIGN_IDS);
    List<List<String>> ids = ids(wire(mistral, request));

    assertThat(ids.get(0)).hasSize(5).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9]{9}"));
    assertPaired(ids);
    assertThat(wire(mistral, request).toString()).isEqualTo(wire(mistral, request).toString());
  }

  @Test
  void anOtherCompatibleServerGetsTheRequestAsTheClientSentIt() {
    OpenAiAdapter other = OpenAiAdapter.compatible("http://localhost:8000/v1");
    ChatRequest request = ToolFixtures.request(ToolFixtures.FOREIGN_IDS);

    assertThat(other).isSameAs(OpenAiAdapter.instance());
    assertThat(ids(wire(other, request)).get(0)).containsExactly("functions.get_weather:0",
        "fc_68f1c2a9e4b88190a1b2c3d4e5f60718293a4b5c6d7e8f90", "call_0", "call_0", "toolu_01A09q90qw90lq917835lq9");
    assertThat(other.toolAdaptations(ToolFixtures.request(ToolFixtures.TRICKY_SCHEMAS), TARGET)).isEmpty();
  }

  @Test
  void openAiGetsTrickySchemasAsSentButWithoutAStrictFlagStrictModeWouldRefuse() {
    ChatRequest tricky = ToolFixtures.request(ToolFixtures.TRICKY_SCHEMAS);
    JsonNode tool = wire(OpenAiAdapter.official(), tricky).at("/tools/0/function");

    assertThat(tool.get("parameters"))
        .isEqualTo(ToolFixtures.json(ToolFixtures.TRICKY_SCHEMAS).at("/tools/0/function/parameters"));
    // "extras" allows patternProperties, which strict mode refuses: the tool goes without strict.
    assertThat(tool.has("strict")).isFalse();
    assertThat(OpenAiAdapter.official().toolAdaptations(tricky, TARGET)).containsExactly("tools[0].function.strict");
  }

  @Test
  void aStrictToolWrittenForAnotherProviderIsBroughtToStrictModesRules() {
    ChatRequest request = ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "book", "strict": true, "parameters": {
            "type": "object", "required": ["room"],
            "properties": {
              "room": {"type": "string"},
              "nights": {"type": "integer"},
              "view": {"enum": ["sea", "garden"]},
              "guest": {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": ["integer"]}},
                        "required": ["name"]}}}}}]}""");

    JsonNode tool = wire(OpenAiAdapter.official(), request).at("/tools/0/function");

    assertThat(tool.get("strict").asBoolean()).isTrue();
    assertThat(tool.get("parameters")).isEqualTo(ToolFixtures.parse("""
        {"type": "object", "additionalProperties": false, "required": ["room", "nights", "view", "guest"],
         "properties": {
           "room": {"type": "string"},
           "nights": {"type": ["integer", "null"]},
           "view": {"anyOf": [{"enum": ["sea", "garden"]}, {"type": "null"}]},
           "guest": {"type": ["object", "null"], "additionalProperties": false, "required": ["name", "age"],
                     "properties": {"name": {"type": "string"}, "age": {"type": ["integer", "null"]}}}}}"""));
    assertThat(OpenAiAdapter.official().toolAdaptations(request, TARGET)).containsExactly("tools[0].function.parameters");
    assertThat(request.body().tools().get(0).parameters().has("additionalProperties")).isFalse();
  }

  @Test
  void anOpenAiUntypedOrUnionRootBecomesAnObject() {

    ChatRequest union = ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "f", "parameters": {"anyOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["b"]}]}}}]}""");
    assertThat(wire(OpenAiAdapter.official(), union).at("/tools/0/function/parameters")).isEqualTo(ToolFixtures.parse("""
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}"""));
    assertThat(OpenAiAdapter.official().toolAdaptations(union, TARGET)).containsExactly("tools[0].function.parameters");
  }

  @Test
  void aToolNameOpenAiRefusesIsRefusedNamingIt() {
    ChatRequest request = ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "mcp:fs.read"}}]}""");

    assertThatThrownBy(() -> OpenAiAdapter.official().encode(request, TARGET))
        .isInstanceOfSatisfying(WireFormatException.class, e -> {
          assertThat(e.param()).isEqualTo("tools[0].function.name");
          assertThat(e.getMessage()).contains("'mcp:fs.read'", "openai");
        });
  }
}
