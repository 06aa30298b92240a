package dev.sluice.provider.gemini;

import static dev.sluice.provider.gemini.GeminiTestSupport.TARGET;
import static dev.sluice.provider.gemini.GeminiTestSupport.adapter;
import static dev.sluice.provider.gemini.GeminiTestSupport.encodedBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ChatRequest;
import dev.sluice.testing.ToolFixtures;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tool schemas in JSON Schema → the OpenAPI subset Gemini's function declarations take, on the wire. */
class GeminiToolAdaptationTest {

  @Test
  void trickySchemasAreTranslatedIntoTheSubsetGeminiAccepts() {
    ObjectNode body = encodedBody(ToolFixtures.request(ToolFixtures.TRICKY_SCHEMAS));

    assertThat(body.get("tools")).isEqualTo(ToolFixtures.json("gemini/tool-schemas-declarations.json"));
    assertThat(body.get("tools").toString()).doesNotContain("$ref", "$defs", "additionalProperties", "$schema",
        "const", "oneOf", "exclusiveMinimum", "patternProperties", "\"strict\":true", "ghost");
  }

  @Test
  void theChangesAreListedPerToolForTheAdaptedParamsHeader() {
    ChatRequest request = ToolFixtures.request(ToolFixtures.TRICKY_SCHEMAS);

    assertThat(adapter().toolAdaptations(request, TARGET)).containsExactly(
        "tools[0].function.parameters", "tools[0].function.strict", "tools[1].function.parameters");
    assertThat(adapter().toolAdaptations(ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function",
          "function": {"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}}}]}"""),
        TARGET)).isEmpty();
  }

  @Test
  void eachRewriteIsNamed() {
    Set<String> changes = new LinkedHashSet<>();
    GeminiSchemas.translate(ToolFixtures.json(ToolFixtures.TRICKY_SCHEMAS).at("/tools/0/function/parameters"),
        "p", "tool 'plan_trip': its parameters schema", changes);

    assertThat(changes).contains("inlined $ref", "removed additionalProperties", "removed $schema", "removed $defs",
        "type list → nullable/anyOf", "const → enum", "null branch → nullable", "oneOf → anyOf",
        "enum values → strings", "format email → description", "required names without a property removed",
        "removed patternProperties", "removed exclusiveMinimum");
  }

  @Test
  void aRecursiveSchemaIsRefusedNamingTheToolAndTheReason() {
    ChatRequest request = ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "ok", "parameters": {"type": "object", "properties": {}}}},
          {"type": "function", "function": {"name": "walk_tree", "parameters": {
            "type": "object", "properties": {"root": {"$ref": "#/$defs/Node"}},
            "$defs": {"Node": {"type": "object", "properties": {
              "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}}}}]}""");

    assertThatThrownBy(() -> adapter().encode(request, TARGET))
        .isInstanceOfSatisfying(WireFormatException.class, e -> {
          assertThat(e.param()).isEqualTo("tools[1].function.parameters");
          assertThat(e.getMessage()).contains("tool 'walk_tree'", "recursive", "#/$defs/Node", "gemini");
        });
    assertThatThrownBy(() -> adapter().toolAdaptations(request, TARGET)).isInstanceOf(WireFormatException.class);
  }

  @Test
  void aRootSelfReferenceAndAnExternalOrDanglingRefAreRefused() {
    assertThatThrownBy(() -> adapter().encode(tool("""
        {"type": "object", "properties": {"child": {"$ref": "#"}}}"""), TARGET))
        .hasMessageContaining("recursive ($ref '#'");
    assertThatThrownBy(() -> adapter().encode(tool("""
        {"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}}"""), TARGET))
        .hasMessageContaining("external $ref 'https://example.com/a.json'");
    assertThatThrownBy(() -> adapter().encode(tool("""
        {"type": "object", "properties": {"a": {"$ref": "#/$defs/Missing"}}}"""), TARGET))
        .hasMessageContaining("'#/$defs/Missing' that points to nothing");
  }

  @Test
  void aSchemaThatExplodesWhenInlinedIsRefusedNotSent() {
    // Each level refers to the one below twice: 2^14 copies once inlined.
    StringBuilder defs = new StringBuilder("\"L0\": {\"type\": \"string\"}");
    for (int i = 1; i <= 14; i++) {
      defs.append(", \"L").append(i).append("\": {\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/L")
          .append(i - 1).append("\"}, \"b\": {\"$ref\": \"#/$defs/L").append(i - 1).append("\"}}}");
    }
    assertThatThrownBy(() -> adapter().encode(tool(
        "{\"type\": \"object\", \"properties\": {\"top\": {\"$ref\": \"#/$defs/L14\"}}, \"$defs\": {" + defs + "}}"), TARGET))
        .hasMessageContaining("too large once its $refs are inlined");
  }

  @Test
  void aRefAtTheRootIsInlinedAndPydanticOptionalFieldsBecomeNullable() {
    JsonNode params = encodedBody(tool("""
        {"$ref": "#/definitions/Args", "definitions": {"Args": {"title": "Args", "type": "object",
          "properties": {"q": {"title": "Q", "type": "string"},
                         "limit": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": null, "title": "Limit"},
                         "tags": {"type": ["array", "null"], "items": {"type": "string"}}},
          "required": ["q"]}}}""")).at("/tools/0/functionDeclarations/0/parameters");

    assertThat(params).isEqualTo(ToolFixtures.parse("""
        {"title": "Args", "type": "object", "required": ["q"],
         "properties": {"q": {"title": "Q", "type": "string"},
                        "limit": {"type": "integer", "nullable": true, "default": null, "title": "Limit"},
                        "tags": {"type": "array", "items": {"type": "string"}, "nullable": true}}}"""));
  }

  @Test
  void severalTypesBecomeAnyOfAndAllOfIsMerged() {
    JsonNode params = encodedBody(tool("""
        {"type": "object", "properties": {
          "id": {"type": ["string", "integer"]},
          "who": {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                            {"properties": {"b": {"type": "integer"}}, "required": ["b"]}], "description": "both"}}}"""))
        .at("/tools/0/functionDeclarations/0/parameters/properties");

    assertThat(params.get("id")).isEqualTo(ToolFixtures.parse("""
        {"anyOf": [{"type": "string"}, {"type": "integer"}]}"""));
    assertThat(params.get("who")).isEqualTo(ToolFixtures.parse("""
        {"description": "both", "type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
         "required": ["a", "b"]}"""));
  }

  @Test
  void anArrayWithoutItemsGetsAnyItemsAndEmptyEnumValuesAreDropped() {
    JsonNode props = encodedBody(tool("""
        {"type": "object", "properties": {
          "tags": {"type": "array"},
          "box": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "integer"}], "minItems": 2, "maxItems": 2},
          "op": {"type": "string", "enum": ["", "eq", "neq"]}}}"""))
        .at("/tools/0/functionDeclarations/0/parameters/properties");

    assertThat(props.get("tags")).isEqualTo(ToolFixtures.parse("{\"type\": \"array\", \"items\": {}}"));
    assertThat(props.get("box")).isEqualTo(ToolFixtures.parse("""
        {"type": "array", "minItems": 2, "maxItems": 2, "items": {"anyOf": [{"type": "integer"}, {"type": "integer"}]}}"""));
    assertThat(props.get("op")).isEqualTo(ToolFixtures.parse("{\"type\": \"string\", \"enum\": [\"eq\", \"neq\"]}"));
  }

  @Test
  void aJsonSchemaResponseFormatGetsTheSameTranslationAndIsListed() {
    ChatRequest request = ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}],
         "response_format": {"type": "json_schema", "json_schema": {"name": "out", "strict": true, "schema": {
           "type": "object", "additionalProperties": false, "properties": {"v": {"$ref": "#/$defs/V"}},
           "required": ["v"], "$defs": {"V": {"type": ["integer", "null"]}}}}}}""");

    assertThat(encodedBody(request).at("/generationConfig/responseSchema")).isEqualTo(ToolFixtures.parse("""
        {"type": "object", "properties": {"v": {"type": "integer", "nullable": true}}, "required": ["v"]}"""));
    assertThat(adapter().toolAdaptations(request, TARGET)).containsExactly("response_format.json_schema.schema");
  }

  @Test
  void aToolNameGeminiRefusesIsRefusedNamingIt() {
    ChatRequest request = ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "9lives", "parameters": {"type": "object", "properties": {}}}}]}""");

    assertThatThrownBy(() -> adapter().encode(request, TARGET))
        .isInstanceOfSatisfying(WireFormatException.class, e -> {
          assertThat(e.param()).isEqualTo("tools[0].function.name");
          assertThat(e.getMessage()).contains("'9lives'", "gemini");
        });
    // Gemini takes dots and colons (MCP-style names), which OpenAI and Anthropic refuse.
    assertThat(encodedBody(ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "fs.read:v2"}}]}""")).at("/tools/0/functionDeclarations/0/name")
        .asText()).isEqualTo("fs.read:v2");
  }

  @Test
  void aConversationWithOtherProvidersIdsMatchesEachResultToItsCallByName() {
    JsonNode contents = encodedBody(ToolFixtures.request(ToolFixtures.FOREIGN_IDS)).get("contents");

    List<String> calls = new ArrayList<>();
    List<String> results = new ArrayList<>();
    for (JsonNode turn : contents) {
      for (JsonNode part : turn.get("parts")) {
        if (part.has("functionCall")) {
          calls.add(part.at("/functionCall/name").asText() + part.at("/functionCall/args/city").asText());
        }
        if (part.has("functionResponse")) {
          results.add(part.at("/functionResponse/name").asText());
        }
      }
    }
    assertThat(calls).containsExactly("get_weatherParis", "get_timeParis", "get_weatherRome", "get_timeRome",
        "get_weatherMilan");
    // In the client's order; call_0 answers the latest call_0 (get_time), not the earlier get_weather.
    assertThat(results).containsExactly("get_time", "get_weather", "get_weather", "get_time", "get_weather");
    assertThat(contents.toString()).doesNotContain("functions.get_weather:0", "toolu_", "call_0");
  }

  @Test
  void encodingIsDeterministicAndLeavesTheRequestUntouched() {
    ChatRequest request = ToolFixtures.request(ToolFixtures.TRICKY_SCHEMAS);
    String before = request.body().tools().get(0).parameters().toString();

    String first = adapter().encode(request, TARGET).body().toString();
    adapter().toolAdaptations(request, TARGET);
    String second = adapter().encode(request, TARGET).body().toString();

    assertThat(second).isEqualTo(first);
    assertThat(request.body().tools().get(0).parameters().toString()).isEqualTo(before);
  }

  private static ChatRequest tool(String parameters) {
    return ToolFixtures.inline("""
        {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [
          {"type": "function", "function": {"name": "t", "parameters": %s}}]}""".formatted(parameters));
  }
}
