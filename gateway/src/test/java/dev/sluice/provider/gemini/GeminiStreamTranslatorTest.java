package dev.sluice.provider.gemini;

import static dev.sluice.provider.gemini.GeminiTestSupport.NOW;
import static dev.sluice.provider.gemini.GeminiTestSupport.adapter;
import static dev.sluice.provider.gemini.GeminiTestSupport.everyByte;
import static dev.sluice.provider.gemini.GeminiTestSupport.fixture;
import static dev.sluice.provider.gemini.GeminiTestSupport.randomCuts;
import static dev.sluice.provider.gemini.GeminiTestSupport.replay;
import static dev.sluice.provider.gemini.GeminiTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.api.openai.Usage;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;
import dev.sluice.provider.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeminiStreamTranslatorTest {
  private static final ChatRequest STREAM = request("""
      {"model": "fast", "stream": true, "messages": [{"role": "user", "content": "Tell me a joke"}]}""");

  private static StreamTranslator translator() {
    return adapter().newStreamTranslator(STREAM);
  }

  private static List<ChatChunk> whole(String fixture) {
    return replay(translator(), fixture(fixture), List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"stream-text.sse", "stream-function-call.sse", "stream-thinking.sse", "stream-error.sse",
      "stream-safety.sse", "stream-malformed-function-call.sse", "stream-cut.sse"})
  void anySplitOfTheBytesGivesTheSameChunks(String fixture) {
    Buffer bytes = fixture(fixture);
    List<ChatChunk> expected = replay(translator(), bytes, List.of());
    assertThat(expected).isNotEmpty();

    assertThat(replay(translator(), bytes, everyByte(bytes))).as("1-byte slices").isEqualTo(expected);
    for (long seed = 1; seed <= 25; seed++) {
      assertThat(replay(translator(), bytes, randomCuts(bytes, seed))).as("seed %d", seed).isEqualTo(expected);
    }
  }

  @Test
  void textStreamOpensWithTheRoleRelaysTextEndsWithStopThenUsage() {
    StreamTranslator t = translator();
    List<ChatChunk> chunks = replay(t, fixture("stream-text.sse"), List.of());

    assertThat(chunks).hasSize(5);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.chunk().id()).isEqualTo("ZsQ2aKyLEd6ovdIPy8yQ8Q4");
      assertThat(c.chunk().model()).isEqualTo("gemini-2.0-flash");
      assertThat(c.chunk().created()).isEqualTo(NOW.getEpochSecond());
      assertThat(c.openAiJson()).isNull();
    });
    assertThat(delta(chunks.get(0)).role()).isEqualTo("assistant");
    assertThat(delta(chunks.get(1)).content()).isEqualTo("Why did the");
    assertThat(delta(chunks.get(2)).content())
        .isEqualTo(" chicken cross the road? To get to the other side — ünïcødé 🐔.");
    assertThat(chunks.get(3).chunk().choices().get(0).finishReason()).isEqualTo("stop");
    assertThat(delta(chunks.get(3))).isEqualTo(new Delta(null, null, null, null));
    assertThat(chunks.get(4).isUsageOnly()).isTrue();
    assertThat(chunks.get(4).chunk().usage()).isEqualTo(new Usage(7, 19, 26, 0L, 0L));
    assertThat(t.completed()).isTrue();
    assertThat(t.usage()).isEqualTo(new TokenUsage(7, 19, 0, 0, 0));
  }

  @Test
  void functionCallsArriveWholeIndexedAcrossTheStreamAndFinishAsToolCalls() {
    List<ChatChunk> chunks = whole("stream-function-call.sse");

    List<ToolCallDelta> calls = chunks.stream().map(c -> c.chunk().choices())
        .filter(choices -> !choices.isEmpty()).map(choices -> choices.get(0).delta().toolCalls())
        .filter(Objects::nonNull).flatMap(List::stream).toList();
    assertThat(calls).containsExactly(
        new ToolCallDelta(0, "call_0", "function", "get_weather", "{\"city\":\"Paris\"}"),
        new ToolCallDelta(1, "call_1", "function", "get_weather", "{\"city\":\"Tokyo\"}"),
        new ToolCallDelta(2, "call_2", "function", "get_time", "{\"timezone\":\"Asia/Tokyo\",\"format\":{\"hour12\":false}}"));
    ChatChunk last = chunks.get(chunks.size() - 1);
    ChatChunk finish = chunks.get(chunks.size() - 2);
    assertThat(finish.chunk().choices().get(0).finishReason()).isEqualTo("tool_calls");
    assertThat(last.chunk().usage()).isEqualTo(new Usage(95, 42 + 64, 201, 0L, 64L));
  }

  @Test
  void thoughtsStreamAsReasoningContentAndTheLastUsageWins() {
    StreamTranslator t = translator();
    List<ChatChunk> chunks = replay(t, fixture("stream-thinking.sse"), List.of());

    assertThat(delta(chunks.get(1)).reasoningContent()).startsWith("**Planning the answer**");
    assertThat(delta(chunks.get(1)).content()).isNull();
    assertThat(delta(chunks.get(2)).content()).isEqualTo("Soft rain on the roof,\n");
    assertThat(delta(chunks.get(3)).content()).isEqualTo("puddles hold the grey sky still,\nfrogs begin to sing.");
    assertThat(t.usage()).isEqualTo(new TokenUsage(1290, 21 + 88, 1024, 0, 88));
  }

  @Test
  void anErrorEventEndsTheStreamWithAScrubbedFailureThatKeepsItsMeaning() {
    StreamTranslator t = translator();
    List<ChatChunk> chunks = replay(t, fixture("stream-error.sse"), List.of());

    assertThat(chunks).hasSize(3);
    assertThat(delta(chunks.get(1)).content()).isEqualTo("Here is the first part of a long");
    ApiError error = chunks.get(2).error();
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.message()).contains("The model is overloaded");
    assertThat(t.completed()).isFalse();
  }

  @Test
  void aRateLimitErrorEventIsA429AndKeysInErrorTextAreRedacted() {
    List<ChatChunk> chunks = replay(translator(), Buffer.buffer(
        "data: {\"error\": {\"code\": 429, \"message\": \"Quota exceeded for key AIzaSyA1b2C3d4E5f6G7h8I9j0\","
            + " \"status\": \"RESOURCE_EXHAUSTED\"}}\r\n\r\n"), List.of());

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).error().status()).isEqualTo(429);
    assertThat(chunks.get(0).error().message()).doesNotContain("AIzaSy").contains("[redacted]");
  }

  @Test
  void aSafetyStopMidStreamFinishesAsContentFilter() {
    List<ChatChunk> chunks = whole("stream-safety.sse");

    assertThat(chunks.get(chunks.size() - 2).chunk().choices().get(0).finishReason()).isEqualTo("content_filter");
    assertThat(chunks.get(chunks.size() - 1).isUsageOnly()).isTrue();
  }

  @Test
  void aMalformedFunctionCallMidStreamIsAFailureNotAStop() {
    StreamTranslator t = translator();
    List<ChatChunk> chunks = replay(t, fixture("stream-malformed-function-call.sse"), List.of());

    ChatChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.error()).isNotNull();
    assertThat(last.error().message()).isEqualTo("malformed tool call from provider");
    assertThat(chunks).noneMatch(c -> c.chunk() != null && c.chunk().choices().stream()
        .anyMatch(ch -> ch.finishReason() != null));
    assertThat(t.completed()).isFalse();
  }

  @Test
  void aBlockedPromptInAStreamIsAContentFilterFailure() {
    List<ChatChunk> chunks = replay(translator(), Buffer.buffer(
        "data: {\"promptFeedback\": {\"blockReason\": \"SAFETY\"}, \"usageMetadata\": {\"promptTokenCount\": 8,"
            + " \"totalTokenCount\": 8}, \"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n"), List.of());

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).error().code()).isEqualTo("content_filter");
    assertThat(chunks.get(0).error().status()).isEqualTo(400);
  }

  @Test
  void aStreamThatEndsWithoutAFinishReasonIsNotCompleteAndGetsNoUsageChunk() {
    StreamTranslator t = translator();
    List<ChatChunk> chunks = replay(t, fixture("stream-cut.sse"), List.of());

    assertThat(chunks).noneMatch(ChatChunk::isUsageOnly);
    assertThat(t.completed()).isFalse();
    assertThat(t.usage().input()).isEqualTo(5);
  }

  @Test
  void withoutResponseIdOrModelVersionTheGeneratedIdAndTheRequestedModelAreUsed() {
    List<ChatChunk> chunks = replay(translator(), Buffer.buffer(
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}], \"role\": \"model\"},"
            + " \"finishReason\": \"STOP\"}]}\n\n"), List.of());

    ChatCompletionChunk first = chunks.get(0).chunk();
    assertThat(first.id()).isEqualTo(GeminiTestSupport.FALLBACK_ID);
    assertThat(first.model()).isEqualTo("fast");
  }

  private static Delta delta(ChatChunk c) {
    return c.chunk().choices().get(0).delta();
  }
}
