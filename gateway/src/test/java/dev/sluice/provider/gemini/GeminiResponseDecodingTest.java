package dev.sluice.provider.gemini;

import static dev.sluice.provider.gemini.GeminiTestSupport.FALLBACK_ID;
import static dev.sluice.provider.gemini.GeminiTestSupport.NOW;
import static dev.sluice.provider.gemini.GeminiTestSupport.adapter;
import static dev.sluice.provider.gemini.GeminiTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.Usage;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class GeminiResponseDecodingTest {

  @Test
  void textAnswerBecomesAnAssistantMessageWithGeminisIdModelAndUsage() {
    ChatResponse r = adapter().decode(fixture("text-response.json"));

    ChatCompletion c = r.body();
    assertThat(c.id()).isEqualTo("ZcQ2aKyLEd6ovdIPy8yQ8Q4");
    assertThat(c.model()).isEqualTo("gemini-2.0-flash");
    assertThat(c.created()).isEqualTo(NOW.getEpochSecond());
    assertThat(c.choices()).hasSize(1);
    ChatMessage m = c.choices().get(0).message();
    assertThat(m.role()).isEqualTo("assistant");
    assertThat(m.content().text()).isEqualTo("The capital of France is Paris.");
    assertThat(m.toolCalls()).isNull();
    assertThat(m.reasoningContent()).isNull();
    assertThat(c.choices().get(0).finishReason()).isEqualTo("stop");
    assertThat(r.usage()).isEqualTo(new TokenUsage(9, 8, 0, 0, 0));
    assertThat(c.usage()).isEqualTo(new Usage(9, 8, 17, 0L, 0L));
    assertThat(r.openAiJson()).as("a translated answer is re-encoded, not relayed").isNull();
  }

  @Test
  void functionCallsBecomeToolCallsWithGeneratedIdsAndCompactJsonArguments() {
    ChatResponse r = adapter().decode(fixture("function-call-response.json"));

    ChatCompletion.Choice choice = r.body().choices().get(0);
    assertThat(choice.finishReason()).isEqualTo("tool_calls");
    assertThat(choice.message().content()).isNull();
    assertThat(choice.message().toolCalls()).containsExactly(
        new ToolCall("call_0", "function", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
        new ToolCall("call_1", "function", "get_time", "{\"timezone\":\"Europe/Paris\"}"));
    assertThat(r.usage()).isEqualTo(new TokenUsage(112, 91, 0, 0, 60));
  }

  @Test
  void thoughtsBecomeReasoningContentAndThinkingAndCachedTokensAreCounted() {
    ChatResponse r = adapter().decode(fixture("thinking-response.json"));

    ChatMessage m = r.body().choices().get(0).message();
    assertThat(m.content().text()).isEqualTo("There are 3 r's in \"strawberry\".");
    assertThat(m.reasoningContent()).startsWith("**Counting the letters**");
    assertThat(r.usage()).isEqualTo(new TokenUsage(2014, 12 + 384, 1536, 0, 384));
    assertThat(r.body().usage()).isEqualTo(new Usage(2014, 396, 2410, 1536L, 384L));
  }

  @Test
  void aSafetyStopIsReportedAsContentFilter() {
    ChatResponse r = adapter().decode(fixture("safety-response.json"));

    assertThat(r.body().choices().get(0).finishReason()).isEqualTo("content_filter");
    assertThat(r.body().choices().get(0).message().content()).isNull();
    assertThat(r.usage().input()).isEqualTo(21);
  }

  @Test
  void aMalformedFunctionCallFailsTheAttemptInsteadOfLookingLikeAnEmptyStop() {
    assertThatThrownBy(() -> adapter().decode(fixture("malformed-function-call-response.json")))
        .isInstanceOfSatisfying(UpstreamFailure.class, f -> {
          assertThat(f.error().errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
          assertThat(f.error().errorClass().isTransient()).isTrue();
          assertThat(f.error().message()).isEqualTo("malformed tool call from provider");
        });
  }

  @Test
  void aBlockedPromptIsAContentFilterFailure() {
    assertThatThrownBy(() -> adapter().decode(fixture("blocked-prompt-response.json")))
        .isInstanceOfSatisfying(UpstreamFailure.class, f -> {
          assertThat(f.error().errorClass()).isEqualTo(ErrorClass.CONTENT_FILTER);
          assertThat(f.error().message()).contains("PROHIBITED_CONTENT");
          assertThat(f.error().toApiError().status()).isEqualTo(400);
        });
  }

  @Test
  void everyCandidateBecomesAChoiceAndAMissingIdIsGenerated() {
    ChatResponse r = adapter().decode(Buffer.buffer("""
        {"candidates": [
          {"content": {"parts": [{"text": "One"}], "role": "model"}, "finishReason": "STOP", "index": 0},
          {"content": {"parts": [{"text": "Two"}], "role": "model"}, "finishReason": "MAX_TOKENS", "index": 1}],
         "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 2, "totalTokenCount": 5},
         "modelVersion": "gemini-2.0-flash"}"""));

    assertThat(r.body().id()).isEqualTo(FALLBACK_ID);
    assertThat(r.body().choices()).extracting(ChatCompletion.Choice::index).containsExactly(0, 1);
    assertThat(r.body().choices()).extracting(ChatCompletion.Choice::finishReason).containsExactly("stop", "length");
  }

  @Test
  void aBodyThatIsNotAGenerateContentResponseIsAServerError() {
    for (String body : new String[] {"not json", "[]", "{}", "{\"candidates\": []}"}) {
      assertThatThrownBy(() -> adapter().decode(Buffer.buffer(body)))
          .as(body)
          .isInstanceOfSatisfying(UpstreamFailure.class,
              f -> assertThat(f.error().errorClass()).isEqualTo(ErrorClass.SERVER_ERROR));
    }
  }
}
