package dev.sluice.provider.anthropic;

import static dev.sluice.provider.anthropic.AnthropicTestSupport.ADAPTER;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.NOW;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicResponseDecoderTest {

  private static ChatResponse decode(String fixture) {
    return ADAPTER.decode(Buffer.buffer(fixture(fixture)));
  }

  @Test
  void textBlocksAreJoinedIntoTheMessageContent() {
    ChatResponse response = decode("response/text.json");
    ChatCompletion body = response.body();

    assertThat(body.id()).isEqualTo("msg_013Zva2CMHLNnXjNJJKqJ2EF");
    assertThat(body.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(body.created()).isEqualTo(NOW.getEpochSecond());
    assertThat(body.choices()).hasSize(1);
    ChatCompletion.Choice choice = body.choices().get(0);
    assertThat(choice.message().role()).isEqualTo("assistant");
    assertThat(choice.message().content().text()).isEqualTo("Hi! My name is Claude. How can I help?");
    assertThat(choice.message().toolCalls()).isNull();
    assertThat(choice.message().reasoningContent()).isNull();
    assertThat(choice.finishReason()).isEqualTo("stop");
    assertThat(response.usage()).isEqualTo(new TokenUsage(2095, 503, 0, 0, 0));
    assertThat(body.usage().promptTokens()).isEqualTo(2095);
    assertThat(body.usage().totalTokens()).isEqualTo(2598);
    assertThat(response.openAiJson()).isNull();
  }

  @Test
  void toolUseBlocksBecomeToolCallsWithCompactJsonArguments() {
    ChatCompletion.Choice choice = decode("response/tool_use.json").body().choices().get(0);

    assertThat(choice.finishReason()).isEqualTo("tool_calls");
    assertThat(choice.message().content().text()).isEqualTo("I'll check the current weather in both cities.");
    assertThat(choice.message().toolCalls()).containsExactly(
        new ToolCall("toolu_01A09q90qw90lq917835lq9", "function", "get_weather",
            "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"),
        new ToolCall("toolu_01B18r81rx81mr828946mr0", "function", "get_weather",
            "{\"location\":\"New York, NY\",\"unit\":\"celsius\"}"));
  }

  @Test
  void aToolOnlyAnswerHasNullContent() {
    String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"now\",\"input\":{}}],\"stop_reason\":\"tool_use\","
        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":3}}";

    ChatMessage message = ADAPTER.decode(Buffer.buffer(body)).body().choices().get(0).message();

    assertThat(message.content()).isNull();
    assertThat(message.toolCalls()).containsExactly(new ToolCall("toolu_1", "function", "now", "{}"));
  }

  @Test
  void thinkingBecomesReasoningContentAndCachedTokensCountAsPromptTokens() {
    ChatResponse response = decode("response/thinking_cached.json");
    ChatMessage message = response.body().choices().get(0).message();

    assertThat(message.reasoningContent()).isEqualTo("The user wants the capital of France. That is Paris.");
    assertThat(message.content().text()).isEqualTo("The capital of France is Paris.");
    assertThat(response.usage()).isEqualTo(new TokenUsage(21 + 188086 + 4000, 393, 4000, 188086, 0));
    assertThat(response.body().usage().promptTokens()).isEqualTo(192107);
    assertThat(response.body().usage().cachedTokens()).isEqualTo(4000);
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, stop",
      "stop_sequence, stop",
      "pause_turn, stop",
      "max_tokens, length",
      "model_context_window_exceeded, length",
      "tool_use, tool_calls",
      "refusal, content_filter"})
  void stopReasonsMapToOpenAiFinishReasons(String stopReason, String finishReason) {
    String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"x\"}],\"stop_reason\":\"" + stopReason + "\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";

    assertThat(ADAPTER.decode(Buffer.buffer(body)).body().choices().get(0).finishReason()).isEqualTo(finishReason);
  }

  @Test
  void invalidJsonIsAMalformedBody() {
    assertMalformed("{\"id\":\"msg_1\",\"content\":[", "the provider sent a malformed response body");
  }

  @Test
  void aBodyWithoutContentIsAMalformedBody() {
    assertMalformed("{\"id\":\"msg_1\",\"type\":\"message\",\"stop_reason\":\"end_turn\"}",
        "the provider sent a malformed response body");
  }

  @Test
  void aToolUseWhoseInputIsNotAnObjectFailsInsteadOfStoppingQuietly() {
    assertThatThrownBy(() -> decode("response/malformed_tool_input.json"))
        .isInstanceOfSatisfying(UpstreamFailure.class, f -> {
          assertThat(f.error().errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
          assertThat(f.error().message()).contains("tool call");
        });
  }

  private static void assertMalformed(String body, String message) {
    assertThatThrownBy(() -> ADAPTER.decode(Buffer.buffer(body)))
        .isInstanceOfSatisfying(UpstreamFailure.class, f -> {
          assertThat(f.error().errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
          assertThat(f.error().status()).isEqualTo(200);
          assertThat(f.error().message()).isEqualTo(message);
        });
  }
}
