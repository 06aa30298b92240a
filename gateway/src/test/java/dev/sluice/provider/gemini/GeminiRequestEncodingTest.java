package dev.sluice.provider.gemini;

import static dev.sluice.provider.gemini.GeminiTestSupport.TARGET;
import static dev.sluice.provider.gemini.GeminiTestSupport.adapter;
import static dev.sluice.provider.gemini.GeminiTestSupport.encodedBody;
import static dev.sluice.provider.gemini.GeminiTestSupport.json;
import static dev.sluice.provider.gemini.GeminiTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamRequest;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class GeminiRequestEncodingTest {

  private static final String HELLO = """
      {"model": "fast", "messages": [{"role": "user", "content": "Hello"}]}""";

  @Test
  void postsToGenerateContentForTheTargetModelWithTheKeyInXGoogApiKey() {
    UpstreamRequest up = adapter().encode(request(HELLO), TARGET);

    assertThat(up.method()).isEqualTo(HttpMethod.POST);
    assertThat(up.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(up.stream()).isFalse();
    assertThat(up.headers().get("content-type")).isEqualTo("application/json");
    assertThat(adapter().auth().header()).isEqualTo("x-goog-api-key");
    assertThat(adapter().auth().prefix()).isEmpty();
  }

  @Test
  void streamingRequestsUseStreamGenerateContentAsServerSentEvents() {
    UpstreamRequest up = adapter().encode(request("""
        {"model": "fast", "stream": true, "messages": [{"role": "user", "content": "Hello"}]}"""), TARGET);

    assertThat(up.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(up.stream()).isTrue();
    assertThat(up.headers().get("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void modelNamesAreUrlEncodedAndAResourcePrefixIsNotDoubled() {
    assertThat(adapter().encode(request(HELLO), new Target("g", "my model/v1?x", 1)).path())
        .isEqualTo("/v1beta/models/my%20model%2Fv1%3Fx:generateContent");
    assertThat(adapter().encode(request(HELLO), new Target("g", "models/gemini-2.0-flash", 1)).path())
        .isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
  }

  @Test
  void systemAndDeveloperMessagesBecomeTheSystemInstructionAndRolesMapToUserAndModel() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [
          {"role": "system", "content": "You are terse."},
          {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
          {"role": "user", "content": "Hi"},
          {"role": "assistant", "content": "Salut"},
          {"role": "user", "content": "Capital of Italy?"}
        ]}"""));

    assertThat(body.get("systemInstruction")).isEqualTo(json("""
        {"parts": [{"text": "You are terse."}, {"text": "Answer in French."}]}"""));
    assertThat(body.get("contents")).isEqualTo(json("""
        [{"role": "user", "parts": [{"text": "Hi"}]},
         {"role": "model", "parts": [{"text": "Salut"}]},
         {"role": "user", "parts": [{"text": "Capital of Italy?"}]}]"""));
  }

  @Test
  void consecutiveMessagesOfOneRoleAreMergedIntoOneTurn() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [
          {"role": "user", "content": "First"},
          {"role": "user", "content": [{"type": "text", "text": "Second"}]},
          {"role": "assistant", "content": "A"},
          {"role": "assistant", "content": "B"}
        ]}"""));

    assertThat(body.get("contents")).isEqualTo(json("""
        [{"role": "user", "parts": [{"text": "First"}, {"text": "Second"}]},
         {"role": "model", "parts": [{"text": "A"}, {"text": "B"}]}]"""));
  }

  @Test
  void toolCallsBecomeFunctionCallsAndToolResultsFunctionResponsesNamedByTheirCall() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [
          {"role": "user", "content": "Weather in Paris and the time there?"},
          {"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
            {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": ""}}
          ]},
          {"role": "tool", "tool_call_id": "call_a", "content": "{\\"temp_c\\": 21}"},
          {"role": "tool", "tool_call_id": "call_b", "content": "14:05"}
        ]}"""));

    assertThat(body.get("contents")).isEqualTo(json("""
        [{"role": "user", "parts": [{"text": "Weather in Paris and the time there?"}]},
         {"role": "model", "parts": [
           {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
            "thoughtSignature": "skip_thought_signature_validator"},
           {"functionCall": {"name": "get_time", "args": {}}}]},
         {"role": "user", "parts": [
           {"functionResponse": {"name": "get_weather", "response": {"content": {"temp_c": 21}}}},
           {"functionResponse": {"name": "get_time", "response": {"content": {"result": "14:05"}}}}]}]"""));
  }

  @Test
  void aReusedToolCallIdResolvesToTheLatestCallWithThatId() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [
          {"role": "user", "content": "go"},
          {"role": "assistant", "tool_calls": [{"id": "call_0", "function": {"name": "search", "arguments": "{}"}}]},
          {"role": "tool", "tool_call_id": "call_0", "content": "found"},
          {"role": "assistant", "tool_calls": [{"id": "call_0", "function": {"name": "fetch", "arguments": "{}"}}]},
          {"role": "tool", "tool_call_id": "call_0", "content": "page"}
        ]}"""));

    assertThat(body.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("search");
    assertThat(body.at("/contents/4/parts/0/functionResponse/name").asText()).isEqualTo("fetch");
  }

  @Test
  void aToolResultForNoKnownCallIsRefusedNamingTheField() {
    ChatRequest r = request("""
        {"model": "fast", "messages": [
          {"role": "user", "content": "go"},
          {"role": "tool", "tool_call_id": "call_missing", "content": "x"}
        ]}""");

    assertThatThrownBy(() -> adapter().encode(r, TARGET))
        .isInstanceOfSatisfying(WireFormatException.class,
            e -> assertThat(e.param()).isEqualTo("messages[1].tool_call_id"));
  }

  @Test
  void toolCallArgumentsThatAreNotAJsonObjectAreRefusedNamingTheField() {
    ChatRequest r = request("""
        {"model": "fast", "messages": [
          {"role": "user", "content": "go"},
          {"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{\\"city\\": "}}]}
        ]}""");

    assertThatThrownBy(() -> adapter().encode(r, TARGET))
        .isInstanceOfSatisfying(WireFormatException.class,
            e -> assertThat(e.param()).isEqualTo("messages[1].tool_calls[0].function.arguments"));
  }

  @Test
  void imagesGoInlineFromDataUrlsAndByReferenceFromHttpUrls() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": [
          {"type": "text", "text": "Compare"},
          {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
          {"type": "image_url", "image_url": {"url": "https://example.com/cat.webp?size=large", "detail": "high"}},
          {"type": "image_url", "image_url": {"url": "https://example.com/render/42"}}
        ]}]}"""));

    assertThat(body.at("/contents/0/parts")).isEqualTo(json("""
        [{"text": "Compare"},
         {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
         {"fileData": {"mimeType": "image/webp", "fileUri": "https://example.com/cat.webp?size=large"}},
         {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/render/42"}}]"""));
  }

  @Test
  void aContentPartGeminiCannotTakeIsRefusedNotDropped() {
    ChatRequest r = request("""
        {"model": "fast", "messages": [{"role": "user", "content": [
          {"type": "text", "text": "Read this"}, {"type": "file", "file": {"file_id": "file-abc"}}]}]}""");

    assertThatThrownBy(() -> adapter().encode(r, TARGET))
        .isInstanceOfSatisfying(WireFormatException.class,
            e -> assertThat(e.param()).isEqualTo("messages[0].content[1].file.file_data"));
  }

  @Test
  void toolsBecomeFunctionDeclarationsWithSchemaKeywordsGeminiRejectsStripped() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "go"}],
         "tools": [
           {"type": "function", "function": {"name": "book", "description": "Books a room", "strict": true,
             "parameters": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
               "additionalProperties": false, "required": ["guests"],
               "properties": {
                 "guests": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                   "properties": {"name": {"type": "string"}}}},
                 "strict": {"type": "boolean", "description": "a parameter that happens to be called strict"},
                 "room": {"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]}
               }}}},
           {"type": "function", "function": {"name": "now", "parameters": {"type": "object", "properties": {}}}}
         ]}"""));

    assertThat(body.get("tools")).isEqualTo(json("""
        [{"functionDeclarations": [
          {"name": "book", "description": "Books a room",
           "parameters": {"type": "object", "required": ["guests"],
             "properties": {
               "guests": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
               "strict": {"type": "boolean", "description": "a parameter that happens to be called strict"},
               "room": {"anyOf": [{"type": "string"}, {"type": "object"}]}
             }}},
          {"name": "now"}]}]"""));
  }

  @Test
  void toolChoiceMapsToFunctionCallingModes() {
    assertThat(toolConfig("\"auto\"")).isEqualTo(json("{\"mode\": \"AUTO\"}"));
    assertThat(toolConfig("\"none\"")).isEqualTo(json("{\"mode\": \"NONE\"}"));
    assertThat(toolConfig("\"required\"")).isEqualTo(json("{\"mode\": \"ANY\"}"));
    assertThat(toolConfig("{\"type\": \"function\", \"function\": {\"name\": \"book\"}}"))
        .isEqualTo(json("{\"mode\": \"ANY\", \"allowedFunctionNames\": [\"book\"]}"));
  }

  private static JsonNode toolConfig(String toolChoice) {
    return encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "go"}],
         "tools": [{"type": "function", "function": {"name": "book", "parameters": {"type": "object",
           "properties": {"n": {"type": "integer"}}}}}],
         "tool_choice": %s}""".formatted(toolChoice))).at("/toolConfig/functionCallingConfig");
  }

  @Test
  void samplingParametersGoInGenerationConfig() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "go"}],
         "temperature": 0.2, "top_p": 0.9, "max_tokens": 100, "max_completion_tokens": 256,
         "stop": "END", "n": 2, "seed": 7}"""));

    assertThat(body.get("generationConfig")).isEqualTo(json("""
        {"temperature": 0.2, "topP": 0.9, "maxOutputTokens": 256, "stopSequences": ["END"],
         "candidateCount": 2, "seed": 7}"""));
  }

  @Test
  void maxTokensAloneSetsMaxOutputTokensAndNoParametersMeansNoGenerationConfig() {
    assertThat(encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "go"}], "max_tokens": 64}"""))
        .at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(64);
    assertThat(encodedBody(request(HELLO)).has("generationConfig")).isFalse();
  }

  @Test
  void jsonModeAsksForJsonAndAJsonSchemaBecomesTheResponseSchema() {
    assertThat(encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "go"}],
         "response_format": {"type": "json_object"}}""")).get("generationConfig"))
        .isEqualTo(json("{\"responseMimeType\": \"application/json\"}"));

    assertThat(encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "go"}],
         "response_format": {"type": "json_schema", "json_schema": {"name": "city", "strict": true,
           "schema": {"type": "object", "additionalProperties": false, "required": ["name"],
             "properties": {"name": {"type": "string"}}}}}}""")).get("generationConfig"))
        .isEqualTo(json("""
            {"responseMimeType": "application/json",
             "responseSchema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}"""));
  }

  @Test
  void openAiParametersGeminiDoesNotKnowAreNotForwarded() {
    ObjectNode body = encodedBody(request("""
        {"model": "fast", "messages": [{"role": "user", "content": "go"}], "user": "u-1",
         "parallel_tool_calls": false, "logit_bias": {"50256": -100}, "metadata": {"k": "v"},
         "store": true, "service_tier": "flex", "stream_options": {"include_usage": true}}"""));

    assertThat(body.fieldNames()).toIterable().containsExactly("contents");
  }

  @Test
  void encodingNeverChangesTheRequestSoEveryAttemptSendsTheSameBytes() {
    String text = """
        {"model": "fast", "messages": [
          {"role": "system", "content": "s"},
          {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}]},
          {"role": "assistant", "tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": "{\\"a\\":1}"}}]},
          {"role": "tool", "tool_call_id": "c1", "content": "{\\"ok\\":true}"}],
         "tools": [{"type": "function", "function": {"name": "f", "strict": true,
           "parameters": {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "integer"}}}}}],
         "response_format": {"type": "json_schema", "json_schema": {"name": "n",
           "schema": {"type": "object", "additionalProperties": false, "properties": {"b": {"type": "string"}}}}}}""";
    ChatRequest r = request(text);

    UpstreamRequest first = adapter().encode(r, TARGET);
    UpstreamRequest second = adapter().encode(r, TARGET);

    assertThat(r).isEqualTo(request(text));
    assertThat(second.body()).isEqualTo(first.body());
  }
}
