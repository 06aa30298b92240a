package dev.sluice.provider.anthropic;

import static dev.sluice.provider.anthropic.AnthropicTestSupport.ADAPTER;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ChatRequest;
import dev.sluice.testing.ToolFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool schemas and tool-call ids as Anthropic's Messages API receives them. */
class AnthropicToolAdaptationTest {

  private static JsonNode wire(ChatRequest request) {
    return ToolFixtures.parse(ADAPTER.encode(request, TARGET).body().toString());
  }

  @Test
  void trickySchemasGoAsTheyAreBecauseAnthropicTakesJsonSchemaWithRefs() {
    ChatRequest request = ToolFixtures.request(ToolFixtures.TRICKY_SCHEMAS);
    JsonNode tools = wire(request).get("tools");

    assertThat(tools.get(0).get("input_schema"))
        .isEqualTo(ToolFixtures.json(ToolFixtures.TRICKY_SCHEMAS).at("/tools/0/function/parameters"));
    assertThat(tools.get(0).has("strict")).isFalse();
    assertThat(ADAPTER.toolAdaptations(request, TARGET)).containsExactly("tools[0].function.strict");
  }

  @Test
  void aTopLevelUnionIsFlattenedIntoOneObjectThatAcceptsEveryBranch() {
    // MCP servers publish these; Anthropic answers "input_schema does not support oneOf, allOf, or anyOf at the top level".
    ChatRequest request = tool("""
        {"description": "by id or by path", "oneOf": [
          {"type": "object", "properties": {"id": {"type": "string"}, "ref": {"type": "string"}}, "required": ["id", "ref"]},
          {"$ref": "#/$defs/ByPath"}],
         "$defs": {"ByPath": {"type": "object", "properties": {"path": {"type": "string"}, "ref": {"type": "string"}},
                              "required": ["path", "ref"]}}}""");

    assertThat(wire(request).at("/tools/0/input_schema")).isEqualTo(ToolFixtures.parse("""
        {"description": "by id or by path", "type": "object",
         "properties": {"id": {"type": "string"}, "ref": {"type": "string"}, "path": {"type": "string"}},
         "required": ["ref"],
         "$defs": {"ByPath": {"type": "object", "properties": {"path": {"type": "string"}, "ref": {"type": "string"}},
                              "required": ["path", "ref"]}}}"""));
    assertThat(ADAPTER.toolAdaptations(request, TARGET)).containsExactly("tools[0].function.parameters");
  }

  @Test
  void aRootWithoutTypeGetsTypeObjectAndARootAllOfIsMerged() {
    assertThat(wire(tool("""
        {"properties": {"q": {"type": "string"}}}""")).at("/tools/0/input_schema")).isEqualTo(ToolFixtures.parse("""
        {"type": "object", "properties": {"q": {"type": "string"}}}"""));
    assertThat(wire(tool("""
        {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                   {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["b"]}]}"""))
        .at("/tools/0/input_schema")).isEqualTo(ToolFixtures.parse("""
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a", "b"]}"""));
  }

  @Test
  void aRootThatCannotBeAnObjectIsRefusedNamingTheTool() {
    assertThatThrownBy(() -> ADAPTER.encode(tool("{\"type\": \"string\"}"), TARGET))
        .isInstanceOfSatisfying(WireFormatException.class, e -> {
          assertThat(e.param()).isEqualTo("tools[0].function.parameters");
          assertThat(e.getMessage()).contains("tool 'lookup'", "type \"string\"", "anthropic");
        });
    assertThatThrownBy(() -> ADAPTER.encode(tool("""
        {"anyOf": [{"type": "object", "properties": {}}, {"type": "string"}]}"""), TARGET))
        .hasMessageContaining("tool 'lookup'").hasMessageContaining("not a plain object schema");
  }

  @Test
  void aToolNameAnthropicRefusesIsRefusedBeforeSending() {
    ChatRequest request = ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "fs.read", "parameters": {"type": "object", "properties": {}}}}]}""");

    assertThatThrownBy(() -> ADAPTER.encode(request, TARGET))
        .isInstanceOfSatisfying(WireFormatException.class, e -> {
          assertThat(e.param()).isEqualTo("tools[0].function.name");
          assertThat(e.getMessage()).contains("'fs.read'", "anthropic");
        });
  }

  @Test
  void idsFromOtherProvidersBecomeIdsAnthropicAcceptsAndEachResultStillNamesItsCall() {
    ChatRequest request = ToolFixtures.request(ToolFixtures.FOREIGN_IDS);
    JsonNode messages = wire(request).get("messages");

    List<String> calls = new ArrayList<>();
    List<String> results = new ArrayList<>();
    for (JsonNode m : messages) {
      for (JsonNode block : m.get("content")) {
        if ("tool_use".equals(block.path("type").asText())) {
          calls.add(block.get("id").asText());
        } else if ("tool_result".equals(block.path("type").asText())) {
          results.add(block.get("tool_use_id").asText());
        }
      }
    }
    assertThat(calls).hasSize(5).doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9_-]{1,64}"));
    assertThat(results).containsExactly(calls.get(1), calls.get(0), calls.get(2), calls.get(3), calls.get(4));
    // Ids Anthropic takes stay: its own, and the first call_0; the repeat gets a new one.
    assertThat(calls.get(2)).isEqualTo("call_0");
    assertThat(calls.get(3)).startsWith("call_0_").isNotEqualTo("call_0");
    assertThat(calls.get(4)).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(ADAPTER.toolAdaptations(request, TARGET)).containsExactly("tool_call_ids");
  }

  @Test
  void theSameRequestEncodesToTheSameBytesOnEveryRetry() {
    ChatRequest request = ToolFixtures.request(ToolFixtures.FOREIGN_IDS);

    assertThat(ADAPTER.encode(request, TARGET).body().toString())
        .isEqualTo(ADAPTER.encode(request, TARGET).body().toString());
  }

  private static ChatRequest tool(String parameters) {
    return ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "lookup", "parameters": %s}}]}""".formatted(parameters));
  }
}
