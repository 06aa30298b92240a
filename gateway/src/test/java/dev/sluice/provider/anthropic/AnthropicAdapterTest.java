package dev.sluice.provider.anthropic;

import static dev.sluice.provider.anthropic.AnthropicTestSupport.TARGET;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.provider.Capabilities;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class AnthropicAdapterTest {
  private static final String HI = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  @Test
  void postsToMessagesWithTheVersionHeaderAndTheKeyInXApiKey() {
    AnthropicAdapter adapter = AnthropicAdapter.create();

    UpstreamRequest call = adapter.encode(request(HI + "}"), TARGET);

    assertThat(call.method()).isEqualTo(HttpMethod.POST);
    assertThat(call.path()).isEqualTo("/v1/messages");
    assertThat(call.stream()).isFalse();
    assertThat(call.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(call.headers().get("content-type")).isEqualTo("application/json");
    assertThat(call.headers().get("accept")).isEqualTo("application/json");
    assertThat(adapter.auth()).isEqualTo(new AuthScheme("x-api-key", ""));
  }

  @Test
  void aStreamedRequestAsksForAnEventStream() {
    UpstreamRequest call = AnthropicAdapter.create().encode(request(HI + ",\"stream\":true}"), TARGET);

    assertThat(call.stream()).isTrue();
    assertThat(call.headers().get("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void theConfiguredVersionIsSentAndAMissingOneFallsBackToTheDefault() {
    AnthropicAdapter adapter = AnthropicAdapter.create(AnthropicOptions.defaults().withVersion("2024-01-01"));
    assertThat(adapter.encode(request(HI + "}"), TARGET).headers().get("anthropic-version")).isEqualTo("2024-01-01");
    assertThat(AnthropicOptions.defaults().withVersion(null).version()).isEqualTo("2023-06-01");
  }

  @Test
  void optionsRejectNonsense() {
    assertThatThrownBy(() -> AnthropicOptions.defaults().withDefaultMaxTokens(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void advertisesStreamingToolsVisionAndEmulatedJsonButNoEmbeddings() {
    assertThat(AnthropicAdapter.create().capabilities()).isEqualTo(new Capabilities(true, true, true, true, false));
  }
}
