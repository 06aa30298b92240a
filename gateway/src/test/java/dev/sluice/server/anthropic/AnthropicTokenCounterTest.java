package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.FrontTestSupport.fixture;
import static dev.sluice.server.anthropic.FrontTestSupport.front;
import static dev.sluice.server.anthropic.FrontTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ChatRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class AnthropicTokenCounterTest {

  private static ChatRequest counting(String json) {
    return front().parseForCounting(Buffer.buffer(json));
  }

  @Test
  void aShortMessageCountsItsTokensPlusTheMessageOverhead() {
    // "Hello, world" is 3 tokens in o200k_base: "Hello", ",", " world".
    long tokens = AnthropicTokenCounter.countInputTokens(counting(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}]}"));

    assertThat(tokens).isEqualTo(3 + AnthropicTokenCounter.PER_MESSAGE);
  }

  @Test
  void systemToolsToolCallsAndImagesAllCount() {
    ObjectNode full = (ObjectNode) json(fixture("request/count_tokens.json"));
    long tokens = count(full);

    ObjectNode noImage = full.deepCopy();
    ((ArrayNode) noImage.at("/messages/2/content")).remove(1);
    ObjectNode noTools = full.deepCopy();
    noTools.remove("tools");
    ObjectNode noSystem = full.deepCopy();
    noSystem.remove("system");
    ObjectNode emptyToolInput = full.deepCopy();
    ((ObjectNode) emptyToolInput.at("/messages/1/content/0")).putObject("input");

    // the image was the turn's only content besides the tool result: its user message goes with it
    assertThat(tokens - count(noImage)).as("an image counts a flat amount")
        .isEqualTo(AnthropicTokenCounter.PER_ATTACHMENT + AnthropicTokenCounter.PER_MESSAGE);
    assertThat(tokens - count(noTools)).as("tool name, description and schema").isGreaterThan(20);
    assertThat(tokens - count(noSystem)).as("the system prompt is a message")
        .isEqualTo(AnthropicTokenCounter.PER_MESSAGE + 4); // "You are a scientist"
    assertThat(tokens - count(emptyToolInput)).as("tool call arguments").isGreaterThan(0);
  }

  private static long count(ObjectNode request) {
    return AnthropicTokenCounter.countInputTokens(counting(request.toString()));
  }

  @Test
  void aLongConversationCountedAgainIsExactEachTime() {
    // longer than the estimator's 32 kB exact limit: count_tokens is exact at any length, and a
    // text it counted before (an agent sends its whole conversation on every call) is remembered
    String history = "The build failed at step 3; the log says the linker could not find libfoo. ".repeat(600);
    int exact = dev.sluice.admission.TokenEstimator.o200k().countTokensOrdinary(history);
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + history + "\"}]}";
    for (int call = 0; call < 3; call++) {
      assertThat(AnthropicTokenCounter.countInputTokens(counting(body))).isEqualTo(exact + AnthropicTokenCounter.PER_MESSAGE);
    }
  }

  @Test
  void textSpellingASpecialTokenIsCountedNotRefused() {
    long tokens = AnthropicTokenCounter.countInputTokens(counting(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"<|endoftext|>\"}]}"));

    assertThat(tokens).isGreaterThan(AnthropicTokenCounter.PER_MESSAGE);
  }

  @Test
  void theAnswerBodyIsInputTokens() {
    AnthropicTokenCounter.warmUp();
    ChatRequest request = counting("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}]}");

    assertThat(json(AnthropicTokenCounter.countTokensBody(request))).isEqualTo(json("{\"input_tokens\":6}"));
  }
}
