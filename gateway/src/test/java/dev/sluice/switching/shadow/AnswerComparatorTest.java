package dev.sluice.switching.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnswerComparatorTest {
  private static final Set<String> ALL = Set.of("exact", "json", "tools", "similarity");

  private static ShadowAnswer text(String t) {
    return new ShadowAnswer(t, List.of(), "stop");
  }

  private static ShadowAnswer tools(ShadowAnswer.ToolUse... calls) {
    return new ShadowAnswer("", List.of(calls), "tool_calls");
  }

  private static ShadowAnswer.ToolUse call(String name, String args) {
    return new ShadowAnswer.ToolUse(name, args);
  }

  private static JsonNode json(String s) throws Exception {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void exactMatchComparesTextAndToolCallsAsWritten() {
    assertThat(AnswerComparator.compare(text("Paris."), text("Paris."), ALL, false, null).exact()).isTrue();
    assertThat(AnswerComparator.compare(text("Paris."), text("Paris"), ALL, false, null).exact()).isFalse();
    assertThat(AnswerComparator.compare(tools(call("f", "{\"a\":1}")), tools(call("f", "{ \"a\": 1 }")), ALL, false,
        null).exact()).as("exact is byte for byte; tool agreement is the semantic comparison").isFalse();
  }

  @Test
  void onlyWhatIsAskedIsCompared() {
    ShadowComparison c = AnswerComparator.compare(text("a"), text("b"), Set.of("tools"), false, null);
    assertThat(c.exact()).isNull();
    assertThat(c.json()).isNull();
    assertThat(c.tools()).as("no tool calls on either side: nothing to agree on").isNull();
    assertThat(c.similarity()).isNull();
  }

  @Test
  void jsonValidityIsTheCandidatesTextParsing() {
    assertThat(AnswerComparator.compare(text("{}"), text("{\"city\":\"Paris\"}"), ALL, false, null).json()).isTrue();
    assertThat(AnswerComparator.compare(text("{}"), text("{\"city\":"), ALL, false, null).json()).isFalse();
    assertThat(AnswerComparator.compare(text("{}"), text(""), ALL, false, null).json()).isFalse();
    assertThat(AnswerComparator.compare(text("{}"), text("Sure! {\"a\":1}"), ALL, false, null).json()).isFalse();
    assertThat(AnswerComparator.compare(text("{}"), text("[1, 2]"), Set.of("exact"), true, null).json())
        .as("a JSON-mode request is checked for JSON even when compare does not list json").isTrue();
  }

  @Test
  void schemaMatchChecksTheRequestsJsonSchema() throws Exception {
    JsonNode schema = json("""
        {"type":"object","additionalProperties":false,"required":["city","population","tags"],
         "properties":{"city":{"type":"string","minLength":1},"population":{"type":"integer","minimum":0},
           "tags":{"type":"array","items":{"$ref":"#/$defs/tag"},"maxItems":2},
           "kind":{"enum":["capital","town"]},"note":{"type":["string","null"]}},
         "$defs":{"tag":{"type":"string"}}}""");
    ShadowAnswer primary = text("{}");
    assertThat(schema(primary, "{\"city\":\"Paris\",\"population\":2100000,\"tags\":[\"fr\"],\"kind\":\"capital\",\"note\":null}",
        schema)).isTrue();
    assertThat(schema(primary, "{\"city\":\"Paris\",\"population\":2.1e6,\"tags\":[]}", schema))
        .as("2.1e6 is an integer value").isTrue();
    assertThat(schema(primary, "{\"city\":\"Paris\",\"tags\":[]}", schema)).as("required population").isFalse();
    assertThat(schema(primary, "{\"city\":\"Paris\",\"population\":-1,\"tags\":[]}", schema)).as("minimum").isFalse();
    assertThat(schema(primary, "{\"city\":\"Paris\",\"population\":1.5,\"tags\":[]}", schema)).as("integer").isFalse();
    assertThat(schema(primary, "{\"city\":\"\",\"population\":1,\"tags\":[]}", schema)).as("minLength").isFalse();
    assertThat(schema(primary, "{\"city\":\"P\",\"population\":1,\"tags\":[1]}", schema)).as("$ref item").isFalse();
    assertThat(schema(primary, "{\"city\":\"P\",\"population\":1,\"tags\":[\"a\",\"b\",\"c\"]}", schema)).isFalse();
    assertThat(schema(primary, "{\"city\":\"P\",\"population\":1,\"tags\":[],\"kind\":\"village\"}", schema)).isFalse();
    assertThat(schema(primary, "{\"city\":\"P\",\"population\":1,\"tags\":[],\"extra\":true}", schema))
        .as("additionalProperties: false").isFalse();
    assertThat(schema(primary, "not json", schema)).isFalse();
    assertThat(AnswerComparator.compare(primary, text("{}"), ALL, true, null).schema())
        .as("no schema in the request: not compared").isNull();
  }

  @Test
  void schemaCombinatorsAnyOfOneOfAllOf() throws Exception {
    JsonNode schema = json("""
        {"oneOf":[{"type":"string"},{"type":"number","maximum":10}],
         "allOf":[{"not_a_keyword_we_know":1}]}""");
    assertThat(JsonSchemaSubset.matches(schema, json("\"x\""))).isTrue();
    assertThat(JsonSchemaSubset.matches(schema, json("5"))).isTrue();
    assertThat(JsonSchemaSubset.matches(schema, json("11"))).isFalse();
    assertThat(JsonSchemaSubset.matches(json("{\"anyOf\":[{\"type\":\"integer\"},{\"minimum\":0}]}"), json("-1")))
        .isTrue();
    assertThat(JsonSchemaSubset.matches(json("{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":0}]}"), json("1")))
        .as("both match: not exactly one").isFalse();
    assertThat(JsonSchemaSubset.matches(json("{\"const\":1}"), json("1.0"))).isTrue();
  }

  private static boolean schema(ShadowAnswer primary, String candidate, JsonNode schema) {
    return AnswerComparator.compare(primary, text(candidate), ALL, true, schema).schema();
  }

  @Test
  void toolCallsAgreeOnNamesAndArgumentsAsParsedJson() {
    var p = tools(call("get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}"), call("get_time", "{}"));
    assertThat(AnswerComparator.compare(p, tools(call("get_weather", "{ \"unit\": \"c\", \"city\": \"Paris\" }"),
        call("get_time", "")), ALL, false, null).tools()).as("an empty argument text is not the object {}").isFalse();
    assertThat(AnswerComparator.toolsAgree(p.toolCalls(), List.of(call("get_weather", "{\"unit\":\"c\",\"city\":\"Paris\"}"),
        call("get_time", "{ }")))).isTrue();
    assertThat(AnswerComparator.toolsAgree(p.toolCalls(), List.of(call("get_weather", "{\"city\":\"Lyon\",\"unit\":\"c\"}"),
        call("get_time", "{}")))).as("different argument").isFalse();
    assertThat(AnswerComparator.toolsAgree(p.toolCalls(), List.of(call("get_time", "{}"),
        call("get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}")))).as("order").isFalse();
    assertThat(AnswerComparator.toolsAgree(p.toolCalls(), p.toolCalls().subList(0, 1))).as("one call missing").isFalse();
    assertThat(AnswerComparator.compare(p, text("It is sunny."), ALL, false, null).tools())
        .as("the candidate answered in text instead").isFalse();
    assertThat(AnswerComparator.toolsAgree(List.of(call("f", "{\"n\":1}")), List.of(call("f", "{\"n\":1.0}"))))
        .as("arguments are compared as parsed JSON values: 1 and 1.0 are different JSON nodes").isFalse();
  }

  @Test
  void cosineSimilarityOfKnownVectors() {
    assertThat(AnswerComparator.cosine(new double[] {1, 0, 0}, new double[] {0.6, 0.8, 0})).isCloseTo(0.6, within(1e-12));
    assertThat(AnswerComparator.cosine(new double[] {1, 2, 3}, new double[] {2, 4, 6})).isCloseTo(1.0, within(1e-12));
    assertThat(AnswerComparator.cosine(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(0.0, within(1e-12));
    assertThat(AnswerComparator.cosine(new double[] {1, 1}, new double[] {-1, -1})).isCloseTo(-1.0, within(1e-12));
    assertThat(AnswerComparator.cosine(new double[] {0, 0}, new double[] {1, 1})).isNaN();
    assertThat(AnswerComparator.cosine(new double[] {1}, new double[] {1, 1})).isNaN();
  }

  @Test
  void nothingIsComparedWhenASideFailed() {
    assertThat(AnswerComparator.compare(text("a"), null, ALL, true, null)).isEqualTo(ShadowComparison.NONE);
  }
}
