package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.Json;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiStreamTranslatorTest {
  private static final ChatRequest REQUEST = new ChatRequest(new ChatCompletionRequest("m",
      List.of(ChatMessage.of("user", "hi")), true, null, null, null, null, null, null, null, null, null, null, null,
      null, Map.of()));

  private record Result(List<ChatChunk> chunks, boolean completed, TokenUsage usage) {
    List<String> rendered() {
      return chunks.stream().map(c -> c.error() != null ? "ERROR " + c.error().message() : c.openAiJson().toString()).toList();
    }
  }

  private static Result translate(List<Buffer> slices) {
    StreamTranslator t = OpenAiAdapter.instance().newStreamTranslator(REQUEST);
    List<ChatChunk> out = new ArrayList<>();
    slices.forEach(s -> t.onBytes(s, out::add));
    t.onEnd(out::add);
    return new Result(out, t.completed(), t.usage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai/stream-text.sse", "openai/stream-tools.sse", "openai/stream-crlf.sse", "openai/stream-error.sse"})
  void everySplitGivesIdenticalChunks(String fixture) {
    byte[] bytes = Splits.fixture(fixture);
    Result expected = translate(Splits.whole(bytes));
    for (List<Buffer> split : Splits.all(bytes)) {
      Result r = translate(split);
      assertThat(r.rendered()).isEqualTo(expected.rendered());
      assertThat(r.completed()).isEqualTo(expected.completed());
      assertThat(r.usage()).isEqualTo(expected.usage());
    }
  }

  @Test
  void textStreamKeepsUpstreamBytesAndReadsUsageWithCachedAndReasoningTokens() {
    Result r = translate(Splits.whole(Splits.fixture("openai/stream-text.sse")));
    assertThat(r.completed()).isTrue();
    assertThat(r.chunks()).hasSize(5);
    assertThat(r.chunks().get(1).chunk().choices().get(0).delta().content()).isEqualTo("Héllo 👋");
    assertThat(r.chunks().get(4).isUsageOnly()).isTrue();
    assertThat(r.usage()).isEqualTo(new TokenUsage(12, 4, 8, 0, 1));
    assertThat(r.chunks().get(0).openAiJson().toString()).contains("\"refusal\"").doesNotStartWith("data:");
  }

  @Test
  void streamedToolCallsKeepTheirIndexesAndArgumentFragments() {
    Result r = translate(Splits.whole(Splits.fixture("openai/stream-tools.sse")));
    var calls = r.chunks().stream().filter(c -> !c.chunk().choices().isEmpty())
        .flatMap(c -> c.chunk().choices().get(0).delta().toolCalls() == null ? java.util.stream.Stream.empty()
            : c.chunk().choices().get(0).delta().toolCalls().stream()).toList();
    assertThat(calls).extracting(c -> c.index()).containsExactly(0, 0, 0, 1);
    assertThat(calls.get(1).arguments() + calls.get(2).arguments()).isEqualTo("{\"location\":\"Paris\"}");
    assertThat(r.chunks().get(4).chunk().choices().get(0).finishReason()).isEqualTo("tool_calls");
  }

  @Test
  void errorEventEndsTheStreamWithAFailure() {
    Result r = translate(Splits.whole(Splits.fixture("openai/stream-error.sse")));
    assertThat(r.chunks()).hasSize(2);
    assertThat(r.chunks().get(1).error().message()).contains("The server had an error");
    assertThat(r.completed()).isFalse();
  }

  @Test
  void streamWithoutDoneIsNotCompleted() {
    Result r = translate(List.of(Buffer.buffer("data: {\"id\":\"x\",\"choices\":[]}\n\n")));
    assertThat(r.completed()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai/stream-text.sse", "openai/stream-tools.sse", "openai/stream-crlf.sse"})
  void chunksEqualTheReferenceDecodingAndCarryTheEventBytes(String fixture) throws Exception {
    Result r = translate(Splits.whole(Splits.fixture(fixture)));
    assertThat(r.chunks()).isNotEmpty();
    for (ChatChunk c : r.chunks()) {
      byte[] json = c.openAiJson().getBytes();
      assertThat(c.chunk()).isEqualTo(OpenAiResponseCodec.decodeChunk(Json.parse(json)));
      assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).startsWith("{").endsWith("}");
    }
  }

  @Test
  void malformedEventFailsTheStreamAndStopsIt() {
    Result r = translate(List.of(Buffer.buffer("data: {\"id\":\"x\",\"choices\":[]}\n\n"
        + "data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"a\"}\n\n"
        + "data: {\"id\":\"x\",\"choices\":[]}\n\ndata: [DONE]\n\n")));
    assertThat(r.rendered()).containsExactly("{\"id\":\"x\",\"choices\":[]}",
        "ERROR the provider sent a malformed stream event");
    assertThat(r.completed()).isFalse();
  }

  @Test
  void errorAsAStringFailsTheStreamWithItsText() {
    Result r = translate(List.of(Buffer.buffer("data: {\"error\":\"quota exceeded\"}\n\n")));
    assertThat(r.rendered()).containsExactly("ERROR the provider reported an error mid-stream: quota exceeded");
  }

  @Test
  void oddlyTypedFieldsAreCoercedAsBefore() {
    Result r = translate(List.of(Buffer.buffer("data: {\"created\":\"17\",\"choices\":[{\"index\":\"2\","
        + "\"delta\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":\"3\",\"completion_tokens\":2.0}}\n\n")));
    assertThat(r.chunks()).hasSize(1);
    assertThat(r.chunks().get(0).chunk().created()).isEqualTo(17);
    assertThat(r.chunks().get(0).chunk().choices().get(0).index()).isEqualTo(2);
    assertThat(r.usage()).isEqualTo(new TokenUsage(3, 2, 0, 0, 0));
  }

  /** It used to throw out of onBytes, past the relay: found by ProviderAnswerFuzzTest. */
  @ParameterizedTest
  @ValueSource(strings = {"[1]", "\"text\"", "42", "null", " "})
  void eventThatIsJsonButNotAnObjectFailsTheStream(String data) {
    Result r = translate(List.of(Buffer.buffer("data: {\"id\":\"x\",\"choices\":[]}\n\ndata: " + data
        + "\n\ndata: {\"id\":\"y\",\"choices\":[]}\n\ndata: [DONE]\n\n")));
    assertThat(r.rendered()).containsExactly("{\"id\":\"x\",\"choices\":[]}",
        "ERROR the provider sent a malformed stream event");
    assertThat(r.completed()).isFalse();
  }
}
