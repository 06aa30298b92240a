package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.ResponsesBody;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.provider.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A Responses request passed through natively: encoded for /responses, its answers and events read for accounting. */
class OpenAiResponsesRelayTest {
  static final String STREAM = """
      event: response.created
      data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress"}}

      event: response.output_text.delta
      data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hé"}

      event: response.function_call_arguments.delta
      data: {"type":"response.function_call_arguments.delta","sequence_number":2,"item_id":"fc_1","output_index":1,"delta":"{}"}

      event: response.completed
      data: {"type":"response.completed","sequence_number":3,"response":{"id":"resp_1","model":"gpt-4.1","usage":{"input_tokens":7,"input_tokens_details":{"cached_tokens":2},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":1}}}}

      """;

  private static ChatRequest passThrough(String json) throws Exception {
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(json);
    ChatCompletionRequest canonical = new ChatCompletionRequest("gpt", List.of(), body.path("stream").asBoolean(),
        null, null, null, null, null, null, null, null, null, null, null, null, Map.of());
    return new ChatRequest(canonical, null, new ResponsesBody(body, "previous_response_id"));
  }

  @Test
  void theClientsBodyGoesToResponsesWithOnlyTheModelRewritten() throws Exception {
    ChatRequest r = passThrough("{\"model\":\"gpt\",\"input\":\"x\",\"previous_response_id\":\"resp_0\",\"stream\":true}");
    UpstreamRequest encoded = OpenAiAdapter.official().encode(r, new Target("oai", "gpt-4.1", 1, 0, Set.of()));
    assertThat(encoded.path()).isEqualTo("/responses");
    assertThat(encoded.stream()).isTrue();
    assertThat(Json.parse(encoded.body())).isEqualTo(Json.MAPPER.readTree(
        "{\"model\":\"gpt-4.1\",\"input\":\"x\",\"previous_response_id\":\"resp_0\",\"stream\":true}"));
    assertThat(r.responses().json().path("model").asText()).as("the client's body is never written").isEqualTo("gpt");
    assertThat(OpenAiAdapter.official().capabilities().nativeResponses()).isTrue();
    assertThat(OpenAiAdapter.instance().capabilities().nativeResponses()).as("openai-compatible servers").isFalse();
  }

  @Test
  void aWholeResponseIsRelayedWithItsUsageRead() {
    Buffer body = Buffer.buffer("{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"output\":[{\"type\":"
        + "\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\"}]}],\"usage\":{\"input_tokens\":7,"
        + "\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens\":5,\"output_tokens_details\":{\"reasoning_tokens\":1}}}");
    ChatResponse r = OpenAiAdapter.official().decode(body);
    assertThat(r.responsesJson()).isSameAs(body);
    assertThat(r.usage()).isEqualTo(new TokenUsage(7, 5, 2, 0, 1));
    assertThat(r.body().choices().get(0).message().content().text()).isEqualTo("Hi");
  }

  @Test
  void anySplitOfTheStreamGivesTheSameEventsAndUsage() throws Exception {
    ChatRequest r = passThrough("{\"model\":\"gpt\",\"input\":\"x\",\"store\":true,\"stream\":true}");
    byte[] bytes = STREAM.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<String> whole = run(r, bytes, bytes.length);
    assertThat(whole).hasSize(4);
    assertThat(String.join("", whole)).isEqualTo(STREAM);
    assertThat(run(r, bytes, 1)).isEqualTo(whole);
    assertThat(run(r, bytes, 7)).isEqualTo(whole);
  }

  private static List<String> run(ChatRequest r, byte[] bytes, int slice) {
    StreamTranslator t = OpenAiAdapter.official().newStreamTranslator(r);
    List<ChatChunk> out = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += slice) {
      t.onBytes(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + slice))), out::add);
    }
    t.onEnd(out::add);
    assertThat(t.completed()).isTrue();
    assertThat(t.usage()).isEqualTo(new TokenUsage(7, 5, 2, 0, 1));
    assertThat(out.get(1).isFirstTokenEvidence()).as("text is first-token evidence").isTrue();
    assertThat(out.get(0).isFirstTokenEvidence()).isFalse();
    return out.stream().map(c -> c.responsesSse().toString(java.nio.charset.StandardCharsets.UTF_8)).toList();
  }
}
