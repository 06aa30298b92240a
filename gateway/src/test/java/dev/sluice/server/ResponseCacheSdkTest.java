package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.sluice.testing.CachedChatConfig;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI and Anthropic Java SDKs, pointed at the gateway, read a cached answer replayed as a stream. */
class ResponseCacheSdkTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @Test
  void theOpenAiSdkAccumulatesAReplayedStreamIntoTheCachedAnswer() throws Exception {
    upstream.enqueue(FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    String config = CachedChatConfig.oneKey(upstream.baseUrl());
    try (TestGateway gw = TestGateway.start(config)) {
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.url("/v1")).apiKey(TestGateway.KEY)
          .maxRetries(0).build();
      try {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chat").temperature(0.0)
            .addUserMessage("Hi").build();
        ChatCompletion whole = client.chat().completions().create(params);
        assertThat(whole.choices().get(0).message().content()).hasValue("Hello! How can I help?");

        ChatCompletionCreateParams streamed = params.toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed)) {
          stream.stream().forEach(c -> {
            chunks.add(c);
            acc.accumulate(c);
          });
        }
        assertThat(chunks).hasSize(4);
        ChatCompletion replayed = acc.chatCompletion();
        assertThat(replayed.id()).isEqualTo("chatcmpl-abc123");
        assertThat(replayed.choices().get(0).message().content()).hasValue("Hello! How can I help?");
        assertThat(replayed.choices().get(0).finishReason().asString()).isEqualTo("stop");
        assertThat(replayed.usage().orElseThrow().promptTokens()).isEqualTo(19);
        assertThat(replayed.usage().orElseThrow().completionTokens()).isEqualTo(10);
        assertThat(upstream.requestCount()).isEqualTo(1);
      } finally {
        client.close();
      }
    }
  }

  @Test
  void theAnthropicSdkAccumulatesAReplayedStreamIntoTheCachedMessage() throws Exception {
    upstream.enqueue(FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    String config = CachedChatConfig.oneKey(upstream.baseUrl());
    try (TestGateway gw = TestGateway.start(config)) {
      com.anthropic.client.AnthropicClient client = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder()
          .baseUrl(gw.url("")).apiKey(TestGateway.KEY).maxRetries(0).build();
      try {
        com.anthropic.models.messages.MessageCreateParams params = com.anthropic.models.messages.MessageCreateParams
            .builder().model("chat").maxTokens(100).addUserMessage("Hi")
            .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0)).build();
        com.anthropic.models.messages.Message first = client.messages().create(params);
        assertThat(first.content().get(0).text().orElseThrow().text()).isEqualTo("Hello! How can I help?");
        com.anthropic.helpers.MessageAccumulator acc = com.anthropic.helpers.MessageAccumulator.create();
        try (var stream = client.messages().createStreaming(params)) {
          stream.stream().forEach(acc::accumulate);
        }
        com.anthropic.models.messages.Message replayed = acc.message();
        assertThat(replayed.content().get(0).text().orElseThrow().text()).isEqualTo("Hello! How can I help?");
        assertThat(replayed.stopReason().orElseThrow().asString()).isEqualTo("end_turn");
        assertThat(replayed.usage().outputTokens()).isEqualTo(10);
        assertThat(replayed.usage().inputTokens()).isEqualTo(15); // Anthropic counts the 4 cached tokens apart
        assertThat(upstream.requestCount()).isEqualTo(1);
      } finally {
        client.close();
      }
    }
  }
}
