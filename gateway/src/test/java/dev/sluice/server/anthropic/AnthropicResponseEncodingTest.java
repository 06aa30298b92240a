package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.FrontTestSupport.front;
import static dev.sluice.server.anthropic.FrontTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.Usage;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicResponseEncodingTest {
  private static final ChatRequest REQUEST = front().parse(Buffer.buffer(
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

  private static JsonNode encode(String id, String model, ChatMessage message, String finish, TokenUsage usage) {
    ChatCompletion completion = new ChatCompletion(id, 1741569952L, model,
        List.of(new ChatCompletion.Choice(0, message, finish)), usage.toOpenAi(), null);
    return json(front().encodeResponse(REQUEST, new ChatResponse(completion, usage, null)));
  }

  @Test
  void aTextAnswerIsOneTextBlock() {
    JsonNode message = encode("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "gpt-4o-2024-08-06",
        ChatMessage.of("assistant", "Hello! How can I assist you today?"), "stop", new TokenUsage(19, 10, 0, 0, 0));

    assertThat(message).isEqualTo(json("""
        {"id":"msg_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","type":"message","role":"assistant",
         "model":"gpt-4o-2024-08-06",
         "content":[{"type":"text","text":"Hello! How can I assist you today?"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":19,"output_tokens":10,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}"""));
  }

  @Test
  void toolCallsBecomeToolUseBlocksWithParsedInput() {
    ChatMessage assistant = new ChatMessage("assistant", MessageContent.text("Checking."), null, List.of(
        new ToolCall("call_abc", "function", "get_weather", "{\"location\": \"Paris\", \"unit\": \"celsius\"}"),
        new ToolCall("call_def", "function", "get_time", ""),
        new ToolCall("call_ghi", "function", "broken", "{\"location\": \"Par")), null, null);

    JsonNode message = encode("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929", assistant, "tool_calls",
        new TokenUsage(400, 60, 0, 0, 0));

    assertThat(message.get("id").asText()).as("an msg_ id is kept").isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(message.get("content")).isEqualTo(json("""
        [{"type":"text","text":"Checking."},
         {"type":"tool_use","id":"call_abc","name":"get_weather","input":{"location":"Paris","unit":"celsius"}},
         {"type":"tool_use","id":"call_def","name":"get_time","input":{}},
         {"type":"tool_use","id":"call_ghi","name":"broken","input":{"_raw":"{\\"location\\": \\"Par"}}]"""));
    assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void toolCallsWithoutTextHaveNoTextBlockAndAStopFinishStillReadsAsToolUse() {
    ChatMessage assistant = new ChatMessage("assistant", null, null,
        List.of(new ToolCall("call_1", "function", "f", "[1,2]")), null, null);

    JsonNode message = encode("chatcmpl-1", "gemini-2.5-flash", assistant, "stop", TokenUsage.ZERO);

    assertThat(message.get("content")).isEqualTo(json("""
        [{"type":"tool_use","id":"call_1","name":"f","input":{"_raw":"[1,2]"}}]"""));
    assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void reasoningBecomesAThinkingBlockBeforeTheText() {
    ChatMessage assistant = new ChatMessage("assistant", MessageContent.text("4"), null, null, null,
        "2 + 2 is 4.");

    JsonNode message = encode("chatcmpl-9", "deepseek-reasoner", assistant, "stop", new TokenUsage(12, 30, 0, 0, 20));

    assertThat(message.get("content")).isEqualTo(json("""
        [{"type":"thinking","thinking":"2 + 2 is 4.","signature":""},{"type":"text","text":"4"}]"""));
  }

  @Test
  void inputTokensLeaveOutCacheReadsAndWrites() {
    JsonNode message = encode("msg_1", "claude-sonnet-4-5", ChatMessage.of("assistant", "ok"), "stop",
        new TokenUsage(2_100, 42, 1_800, 200, 0));

    assertThat(message.get("usage")).isEqualTo(json("""
        {"input_tokens":100,"output_tokens":42,"cache_read_input_tokens":1800,"cache_creation_input_tokens":200}"""));
  }

  @Test
  void withoutCanonicalUsageTheCompletionsOwnUsageCounts() {
    ChatCompletion completion = new ChatCompletion("chatcmpl-2", 0, "gpt-4o",
        List.of(new ChatCompletion.Choice(0, ChatMessage.of("assistant", "ok"), "stop")),
        new Usage(50, 5, 55, 30L, null), null);

    JsonNode message = json(front().encodeResponse(REQUEST, new ChatResponse(completion, null, null)));

    assertThat(message.get("usage")).isEqualTo(json("""
        {"input_tokens":20,"output_tokens":5,"cache_read_input_tokens":30,"cache_creation_input_tokens":0}"""));
  }

  @Test
  void aMissingIdAndModelAreFilledIn() {
    JsonNode message = encode(null, null, ChatMessage.of("assistant", ""), "stop", TokenUsage.ZERO);

    assertThat(message.get("id").asText()).startsWith("msg_").hasSizeGreaterThan(8);
    assertThat(message.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(message.get("content")).as("no empty text block").isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"stop, end_turn", "length, max_tokens", "tool_calls, tool_use", "content_filter, refusal",
      "something_new, end_turn"})
  void finishReasonsMapToStopReasons(String finish, String stop) {
    assertThat(encode("c", "m", ChatMessage.of("assistant", "x"), finish, TokenUsage.ZERO).get("stop_reason").asText())
        .isEqualTo(stop);
  }
}
