package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import dev.sluice.testing.ToolFixtures;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that was talking to another provider switches to a Gemini target: its tool schemas
 * (with $defs, $ref, additionalProperties, type lists, const) and its history of tool calls with
 * foreign ids go through the real gateway to a fake Gemini; a schema Gemini cannot express is
 * refused with a 400 in the client's own API format, and nothing is sent upstream.
 */
class GeminiToolsEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private String config() {
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: google, type: gemini, base_url: "http://127.0.0.1:%d/gemini", api_key: "AIza-test-key" }
        models:
          - name: chat
            targets: [ { provider: google, model: gemini-2.5-flash } ]
        keys:
          - { key: %s, name: tester }
        """.formatted(upstream.port(), TestGateway.KEY);
  }

  @Test
  void trickyToolSchemasAndForeignIdsRoundTripThroughTheGateway() throws Exception {
    upstream.enqueue(FakeResponse.json(200, ToolFixtures.text("gemini/function-call-response.json")));
    ObjectNode body = (ObjectNode) ToolFixtures.json(ToolFixtures.FOREIGN_IDS);
    ArrayNode tools = (ArrayNode) ToolFixtures.json(ToolFixtures.TRICKY_SCHEMAS).get("tools");
    tools.addAll((ArrayNode) body.get("tools"));
    body.set("tools", tools);

    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> answer = gw.post("/v1/chat/completions", body.toString());

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      // The client is told which tool schemas were rewritten for Gemini.
      assertThat(answer.headers().firstValue("x-sluice-adapted-params").orElse(""))
          .contains("tools[0].function.parameters");
      RecordedRequest sent = upstream.takeRequest();
      assertThat(sent.uri()).contains("/models/gemini-2.5-flash:generateContent");
      JsonNode wire = sent.json();
      assertThat(wire.at("/tools/0/functionDeclarations/0"))
          .isEqualTo(ToolFixtures.json("gemini/tool-schemas-declarations.json").at("/0/functionDeclarations/0"));
      assertThat(wire.get("tools").toString()).doesNotContain("$ref", "additionalProperties", "$defs");
      assertThat(wire.get("contents").toString()).contains("\"functionResponse\":{\"name\":\"get_time\"")
          .doesNotContain("functions.get_weather:0");

      JsonNode calls = ToolFixtures.parse(answer.body()).at("/choices/0/message/tool_calls");
      assertThat(calls).hasSize(2);
      assertThat(calls.get(0).at("/function/name").asText()).isEqualTo("get_weather");
      assertThat(ToolFixtures.parse(calls.get(0).at("/function/arguments").asText()))
          .isEqualTo(ToolFixtures.parse("{\"city\": \"Paris\", \"unit\": \"celsius\"}"));
    }
  }

  private static final String RECURSIVE_TOOL = """
      {"name": "walk_tree", "description": "Walks a tree",
       "%s": {"type": "object", "properties": {"root": {"$ref": "#/$defs/Node"}},
         "$defs": {"Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}}}""";

  @Test
  void aRecursiveSchemaIsA400InOpenAisFormatNamingTheToolAndNothingIsSent() throws Exception {
    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> answer = gw.post("/v1/chat/completions", """
          {"model": "chat", "messages": [{"role": "user", "content": "walk"}],
           "tools": [{"type": "function", "function": %s}]}""".formatted(RECURSIVE_TOOL.formatted("parameters")));

      assertThat(answer.statusCode()).isEqualTo(400);
      JsonNode error = ToolFixtures.parse(answer.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.get("param").asText()).isEqualTo("tools[0].function.parameters");
      assertThat(error.get("message").asText()).contains("tool 'walk_tree'", "recursive", "gemini");
      assertThat(upstream.requestCount()).isZero();
    }
  }

  @Test
  void aRecursiveSchemaIsA400InAnthropicsFormatOnTheMessagesDoor() throws Exception {
    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> answer = gw.http().send(gw.request("/v1/messages").header("anthropic-version", "2023-06-01")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
              {"model": "chat", "max_tokens": 100, "messages": [{"role": "user", "content": "walk"}],
               "tools": [%s]}""".formatted(RECURSIVE_TOOL.formatted("input_schema")))).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(400);
      JsonNode body = ToolFixtures.parse(answer.body());
      assertThat(body.get("type").asText()).isEqualTo("error");
      assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(body.at("/error/message").asText()).contains("tool 'walk_tree'", "recursive");
      assertThat(upstream.requestCount()).isZero();
    }
  }
}
