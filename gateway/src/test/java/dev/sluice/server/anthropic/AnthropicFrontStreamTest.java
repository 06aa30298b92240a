package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.FrontTestSupport.events;
import static dev.sluice.server.anthropic.FrontTestSupport.expectedEvents;
import static dev.sluice.server.anthropic.FrontTestSupport.front;
import static dev.sluice.server.anthropic.FrontTestSupport.json;
import static dev.sluice.server.anthropic.FrontTestSupport.names;
import static dev.sluice.server.anthropic.FrontTestSupport.openAiChunks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;
import dev.sluice.pipeline.FrontStream;
import dev.sluice.server.anthropic.FrontTestSupport.Event;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicFrontStreamTest {
  private static final ChatRequest REQUEST = front().parse(Buffer.buffer(
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

  private final FrontStream stream = front().newStream(REQUEST);
  private final List<Buffer> writes = new ArrayList<>();

  /** Feeds chunks, then completes with the usage of the stream's usage-only chunk, as the relay does. */
  private List<Event> replay(List<ChatChunk> chunks) {
    TokenUsage usage = TokenUsage.ZERO;
    for (ChatChunk chunk : chunks) {
      stream.onChunk(chunk, writes::add);
      if (chunk.chunk().usage() != null) {
        usage = TokenUsage.fromOpenAi(chunk.chunk().usage());
      }
    }
    stream.onComplete(usage, writes::add);
    return events(writes);
  }

  private static ChatChunk chunk(Delta delta, String finish) {
    return ChatChunk.of(new ChatCompletionChunk("chatcmpl-x", 1, "gpt-4o", List.of(new ChunkChoice(0, delta, finish)),
        null, null), null);
  }

  private static ChatChunk text(String text) {
    return chunk(new Delta(null, text, null, null), null);
  }

  private static ChatChunk tool(int index, String id, String name, String arguments) {
    return chunk(new Delta(null, null, null, List.of(new ToolCallDelta(index, id, id == null ? null : "function", name,
        arguments))), null);
  }

  private static ChatChunk finish(String reason) {
    return chunk(new Delta(null, null, null, null), reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "text_then_two_tools", "reasoning_then_text"})
  void anOpenAiStreamBecomesExactlyAnthropicsEventSequence(String name) {
    List<Event> events = replay(openAiChunks("stream/" + name + ".openai.sse"));

    assertThat(events).containsExactlyElementsOf(expectedEvents("stream/" + name + ".anthropic.sse"));
  }

  @Test
  void textThenTwoToolCallsUseBlocksZeroOneTwoStoppingEachBeforeTheNextStarts() {
    List<Event> events = replay(openAiChunks("stream/text_then_two_tools.openai.sse"));

    assertThat(names(events)).containsExactly("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    assertThat(events).filteredOn(e -> e.name().startsWith("content_block")).extracting(e -> e.data().get("index").asInt())
        .containsExactly(0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
  }

  @Test
  void theEventsRebuildTheWholeMessageAsAnSdkWould() {
    JsonNode message = AnthropicStreamAccumulator.rebuild(replay(openAiChunks("stream/text_then_two_tools.openai.sse")));

    assertThat(message).isEqualTo(json("""
        {"id":"msg_chatcmpl-C2xT7uB3rVqLmN0aPq9ZkW1yHd4Fe","type":"message","role":"assistant","model":"gpt-4o-2024-08-06",
         "content":[
           {"type":"text","text":"Let me check both."},
           {"type":"tool_use","id":"call_Wx1bQ7f2M3dVtq0e","name":"get_weather","input":{"location":"Paris, FR"}},
           {"type":"tool_use","id":"call_Tm2kP9sQ4rXy8uLz","name":"get_time","input":{"timezone":"Europe/Paris"}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":56,"output_tokens":45,"cache_read_input_tokens":64,"cache_creation_input_tokens":0}}"""));
  }

  @Test
  void reasoningThenTextRebuildsToAThinkingAndATextBlock() {
    JsonNode message = AnthropicStreamAccumulator.rebuild(replay(openAiChunks("stream/reasoning_then_text.openai.sse")));

    assertThat(message.get("content")).isEqualTo(json("""
        [{"type":"thinking","thinking":"The user asks for 2+2. That is 4.","signature":""},
         {"type":"text","text":"2 + 2 = 4."}]"""));
    assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void theStopReasonAndUsageWaitForCompletionNotForTheFinishChunk() {
    List<ChatChunk> chunks = openAiChunks("stream/text_then_two_tools.openai.sse");
    for (ChatChunk chunk : chunks) {
      stream.onChunk(chunk, writes::add);
    }
    assertThat(names(events(writes))).doesNotContain("message_delta", "message_stop");

    stream.onComplete(new TokenUsage(120, 45, 64, 0, 0), writes::add);

    List<Event> events = events(writes);
    assertThat(names(events).subList(events.size() - 2, events.size())).containsExactly("message_delta", "message_stop");
    assertThat(events.get(events.size() - 2).data().get("usage").get("output_tokens").asLong()).isEqualTo(45);
  }

  @Test
  void aLengthFinishIsMaxTokensAndCacheWritesLeaveTheInputCount() {
    List<Event> events = new ArrayList<>();
    stream.onChunk(chunk(new Delta("assistant", "", null, null), null), writes::add);
    stream.onChunk(text("Once upon a"), writes::add);
    stream.onChunk(finish("length"), writes::add);
    stream.onComplete(new TokenUsage(3_000, 4, 1_000, 1_500, 0), writes::add);
    events.addAll(events(writes));

    JsonNode message = AnthropicStreamAccumulator.rebuild(events);
    assertThat(message.get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(message.get("content")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"Once upon a\"}]"));
    assertThat(events.get(events.size() - 2).data()).isEqualTo(json("""
        {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},
         "usage":{"input_tokens":500,"output_tokens":4,"cache_read_input_tokens":1000,"cache_creation_input_tokens":1500}}"""));
  }

  @Test
  void textAfterAToolCallOpensANewBlock() {
    stream.onChunk(tool(0, "call_1", "f", "{}"), writes::add);
    stream.onChunk(text("done"), writes::add);
    stream.onChunk(finish("stop"), writes::add);
    stream.onComplete(TokenUsage.ZERO, writes::add);

    JsonNode message = AnthropicStreamAccumulator.rebuild(events(writes));
    assertThat(message.get("content")).isEqualTo(json("""
        [{"type":"tool_use","id":"call_1","name":"f","input":{}},{"type":"text","text":"done"}]"""));
    assertThat(message.get("stop_reason").asText()).as("a stop after a tool call").isEqualTo("tool_use");
    assertThat(message.get("model").asText()).isEqualTo("gpt-4o");
  }

  @Test
  void aToolCallWithoutAnIdGetsOne() {
    stream.onChunk(tool(0, null, "f", "{\"a\":1}"), writes::add);
    stream.onComplete(TokenUsage.ZERO, writes::add);

    JsonNode message = AnthropicStreamAccumulator.rebuild(events(writes));
    assertThat(message.get("content").get(0).get("id").asText()).startsWith("toolu_");
    assertThat(message.get("content").get(0).get("input")).isEqualTo(json("{\"a\":1}"));
  }

  @Test
  void aFailureMidStreamEndsWithAnErrorEventAndNothingAfter() {
    stream.onChunk(text("Hel"), writes::add);
    stream.onError(new ApiError(503, "server_error", "upstream_overloaded", null, "Provider 'a' is overloaded"),
        writes::add);
    stream.onChunk(text("lo"), writes::add);
    stream.onComplete(TokenUsage.ZERO, writes::add);
    stream.onError(ApiError.internal("again"), writes::add);

    List<Event> events = events(writes);
    assertThat(names(events)).containsExactly("message_start", "ping", "content_block_start", "content_block_delta",
        "error");
    assertThat(events.get(4).data()).isEqualTo(json("""
        {"type":"error","error":{"type":"overloaded_error","message":"Provider 'a' is overloaded"}}"""));
  }

  @Test
  void aFailureBeforeAnyChunkIsJustTheErrorEvent() {
    stream.onError(new ApiError(502, "upstream_error", "stream_cut", null, "cut"), writes::add);

    assertThat(events(writes)).containsExactly(new Event("error", json("""
        {"type":"error","error":{"type":"api_error","message":"cut"}}""")));
  }

  @Test
  void aStreamWithoutContentIsStillAValidEmptyMessage() {
    stream.onComplete(new TokenUsage(7, 0, 0, 0, 0), writes::add);

    JsonNode message = AnthropicStreamAccumulator.rebuild(events(writes));
    assertThat(message.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(message.get("id").asText()).startsWith("msg_");
    assertThat(message.get("content")).isEmpty();
    assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(message.get("usage").get("input_tokens").asLong()).isEqualTo(7);
  }
}
