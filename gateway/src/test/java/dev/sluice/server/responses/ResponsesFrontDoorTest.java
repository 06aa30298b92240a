package dev.sluice.server.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import dev.sluice.pipeline.FrontDoor.FrontDoorException;
import dev.sluice.pipeline.FrontStream;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Responses requests → canonical, canonical answers and streams → Responses, and the 400s of bad input. */
class ResponsesFrontDoorTest {
  private final ResponsesFrontDoor front = new ResponsesFrontDoor(
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), dev.sluice.core.RequestJson.DEFAULTS);

  private ChatRequest parse(String json) {
    return front.parse(Buffer.buffer(json));
  }

  private ApiError refused(String json) {
    try {
      parse(json);
    } catch (FrontDoorException e) {
      return e.error();
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void itemsBecomeTheCanonicalConversation() {
    ChatRequest r = parse("""
        {"model":"m","instructions":"Be terse.","max_output_tokens":64,"temperature":0.2,"top_p":0.9,
         "reasoning":{"effort":"low"},"parallel_tool_calls":false,"metadata":{"a":"b"},
         "tools":[{"type":"function","name":"get_weather","description":"d","parameters":{"type":"object"},"strict":true}],
         "tool_choice":{"type":"function","name":"get_weather"},
         "text":{"format":{"type":"json_schema","name":"city","schema":{"type":"object"},"strict":true}},
         "input":[{"role":"user","content":[{"type":"input_text","text":"Look"},
                   {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"}]},
                  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
                  {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"},
                  {"type":"function_call","call_id":"call_2","name":"get_weather","arguments":"{\\"x\\":1}"},
                  {"type":"function_call_output","call_id":"call_1","output":"sunny"},
                  {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"rain"}]},
                  {"type":"reasoning","id":"rs_1","summary":[]},
                  {"role":"developer","content":"Use metric."}]}""");
    var b = r.body();
    assertThat(r.nativeResponses()).isFalse();
    assertThat(b.messages()).extracting(ChatMessage::role)
        .containsExactly("system", "user", "assistant", "tool", "tool", "system");
    assertThat(b.messages().get(1).content().parts()).hasSize(2);
    assertThat(b.messages().get(1).content().parts().get(1).imageUrl()).isEqualTo("data:image/png;base64,AAAA");
    ChatMessage assistant = b.messages().get(2);
    assertThat(assistant.content().text()).isEqualTo("Checking.");
    assertThat(assistant.toolCalls()).extracting(ToolCall::id).containsExactly("call_1", "call_2");
    assertThat(b.messages().get(4).content().text()).isEqualTo("rain");
    assertThat(b.maxCompletionTokens()).isEqualTo(64);
    assertThat(b.temperature()).isEqualTo(0.2);
    assertThat(b.topP()).isEqualTo(0.9);
    assertThat(b.parallelToolCalls()).isFalse();
    assertThat(b.extra().get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(b.tools()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("get_weather"));
    assertThat(b.toolChoice().functionName()).isEqualTo("get_weather");
    assertThat(b.responseFormat().type()).isEqualTo("json_schema");
    assertThat(b.responseFormat().jsonSchema().path("name").asText()).isEqualTo("city");
  }

  @Test
  void whatOnlyOpenAiCanServeIsMarkedForPassThroughNamingTheFirstField() {
    assertThat(parse("{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}").responses().feature())
        .isEqualTo("previous_response_id");
    assertThat(parse("{\"model\":\"m\",\"input\":\"x\",\"store\":true}").responses().feature()).isEqualTo("store");
    assertThat(parse("{\"model\":\"m\",\"input\":\"x\",\"store\":false}").nativeResponses()).isFalse();
    assertThat(parse("{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"file_search\"}]}").responses().feature())
        .isEqualTo("tools[0].type=file_search");
    assertThat(parse("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}").responses()
        .feature()).isEqualTo("input[0].type=item_reference");
    assertThat(parse("{\"model\":\"m\",\"conversation\":\"conv_1\"}").responses().feature()).isEqualTo("conversation");
  }

  @Test
  void badInputsAreClear400sNamingTheField() {
    assertThat(refused("{\"input\":\"x\"}").param()).isEqualTo("model");
    assertThat(refused("{\"model\":\"m\"}").message()).isEqualTo("Missing required parameter: 'input'.");
    assertThat(refused("{\"model\":\"m\",\"input\":7}").param()).isEqualTo("input");
    assertThat(refused("{\"model\":\"m\",\"input\":[]}").message()).contains("empty array");
    ApiError role = refused("{\"model\":\"m\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}");
    assertThat(role.param()).isEqualTo("input[0].role");
    assertThat(role.status()).isEqualTo(400);
    assertThat(refused("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_video\"}]}]}")
        .param()).isEqualTo("input[0].content[0].type");
    assertThat(refused("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}")
        .param()).isEqualTo("input[0].call_id");
    assertThat(refused("{\"model\":\"m\",\"input\":[{\"type\":\"teleport\"}]}").param()).isEqualTo("input[0].type");
    assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":0}").param()).isEqualTo("max_output_tokens");
    assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"temperature\":3}").param()).isEqualTo("temperature");
    assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":\"sometimes\"}").param()).isEqualTo("tool_choice");
    assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"n\"}}}")
        .param()).isEqualTo("text.format.schema");
    assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"messages\":[]}").message())
        .isEqualTo("Unrecognized request argument supplied: messages");
    assertThat(refused("not json").message()).startsWith("We could not parse the JSON body");
    assertThat(refused("").message()).contains("empty");
  }

  @Test
  void aWholeAnswerIsAResponseObjectWithItemsAndUsage() throws Exception {
    ChatRequest request = parse("{\"model\":\"chat\",\"input\":\"x\",\"metadata\":{\"k\":\"v\"},\"instructions\":\"I\"}");
    ChatCompletion c = new ChatCompletion("chatcmpl-1", 1700000000, "gpt-4o", List.of(new ChatCompletion.Choice(0,
        new ChatMessage("assistant", dev.sluice.api.openai.MessageContent.text("Hi"), null,
            List.of(new ToolCall("call_9", "function", "f", "{\"a\":1}")), null, "thought"), "tool_calls")), null, null);
    JsonNode o = Json.parse(front.encodeResponse(request, new ChatResponse(c, new TokenUsage(10, 5, 4, 0, 2), null)));
    assertThat(o.path("id").asText()).isEqualTo("resp_chatcmpl-1");
    assertThat(o.path("object").asText()).isEqualTo("response");
    assertThat(o.path("status").asText()).isEqualTo("completed");
    assertThat(o.path("instructions").asText()).isEqualTo("I");
    assertThat(o.path("metadata").path("k").asText()).isEqualTo("v");
    assertThat(o.path("output")).extracting(i -> i.path("type").asText()).containsExactly("reasoning", "message",
        "function_call");
    assertThat(o.path("output").get(1).path("content").get(0).path("text").asText()).isEqualTo("Hi");
    assertThat(o.path("output").get(2).path("call_id").asText()).isEqualTo("call_9");
    assertThat(o.path("usage")).isEqualTo(Json.MAPPER.readTree("""
        {"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":5,
         "output_tokens_details":{"reasoning_tokens":2},"total_tokens":15}"""));
  }

  @Test
  void aLengthFinishIsAnIncompleteResponse() throws Exception {
    ChatRequest request = parse("{\"model\":\"chat\",\"input\":\"x\"}");
    ChatCompletion c = new ChatCompletion("c", 1, "m", List.of(new ChatCompletion.Choice(0,
        ChatMessage.of("assistant", "cut"), "length")), null, null);
    JsonNode o = Json.parse(front.encodeResponse(request, new ChatResponse(c, TokenUsage.ZERO, null)));
    assertThat(o.path("status").asText()).isEqualTo("incomplete");
    assertThat(o.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
  }

  @Test
  void aStreamFollowsTheEventGrammarWithSequenceNumbers() throws Exception {
    ChatRequest request = parse("{\"model\":\"chat\",\"input\":\"x\",\"stream\":true}");
    FrontStream stream = front.newStream(request);
    List<JsonNode> events = new ArrayList<>();
    java.util.function.Consumer<Buffer> write = b -> events.add(sseData(b));
    stream.onChunk(chunk(new Delta("assistant", "", null, null), null), write);
    stream.onChunk(chunk(new Delta(null, "Hel", null, null), null), write);
    stream.onChunk(chunk(new Delta(null, "lo", null, null), null), write);
    stream.onChunk(chunk(new Delta(null, null, null, List.of(new ToolCallDelta(0, "call_1", "function", "f", "{\"a\""))),
        null), write);
    stream.onChunk(chunk(new Delta(null, null, null, List.of(new ToolCallDelta(0, null, null, null, ":1}"))), "tool_calls"),
        write);
    stream.onComplete(new TokenUsage(3, 4, 0, 0, 0), write);
    assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("response.created",
        "response.in_progress", "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.output_item.added",
        "response.function_call_arguments.delta", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
    JsonNode completed = events.get(events.size() - 1).path("response");
    assertThat(completed.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo("Hello");
    assertThat(completed.path("output").get(1).path("arguments").asText()).isEqualTo("{\"a\":1}");
    assertThat(completed.path("output").get(1).path("output_index").isMissingNode()).isTrue();
    assertThat(completed.path("usage").path("output_tokens").asInt()).isEqualTo(4);
    assertThat(events.get(12).path("output_index").asInt()).isEqualTo(1);
  }

  @Test
  void aFailureAfterTheFirstByteEndsWithResponseFailedAndAnErrorEvent() throws Exception {
    FrontStream stream = front.newStream(parse("{\"model\":\"chat\",\"input\":\"x\",\"stream\":true}"));
    List<JsonNode> events = new ArrayList<>();
    java.util.function.Consumer<Buffer> write = b -> events.add(sseData(b));
    stream.onChunk(chunk(new Delta(null, "Hi", null, null), null), write);
    stream.onError(new ApiError(502, "api_error", "upstream_error", null, "the provider went away"), write);
    stream.onComplete(TokenUsage.ZERO, write); // ended: nothing more
    assertThat(events).extracting(e -> e.path("type").asText()).endsWith("response.failed", "error");
    assertThat(events.get(events.size() - 2).path("response").path("status").asText()).isEqualTo("failed");
    assertThat(events.get(events.size() - 1).path("message").asText()).isEqualTo("the provider went away");
  }

  @Test
  void errorsAreInOpenAisShape() throws Exception {
    JsonNode e = Json.parse(front.errorBody(ApiError.invalidRequest("input", "Missing required parameter: 'input'.")));
    assertThat(e.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(e.path("error").path("param").asText()).isEqualTo("input");
  }

  private static ChatChunk chunk(Delta delta, String finish) {
    return ChatChunk.of(new ChatCompletionChunk("chatcmpl-1", 1, "gpt-4o", List.of(new ChunkChoice(0, delta, finish)),
        null, null), null);
  }

  private static JsonNode sseData(Buffer event) {
    String s = event.toString();
    assertThat(s).endsWith("\n\n");
    String type = s.substring("event: ".length(), s.indexOf('\n'));
    try {
      JsonNode data = Json.MAPPER.readTree(s.substring(s.indexOf("data: ") + 6).trim());
      assertThat(data.path("type").asText()).isEqualTo(type);
      return data;
    } catch (Exception x) {
      throw new AssertionError(s, x);
    }
  }
}
