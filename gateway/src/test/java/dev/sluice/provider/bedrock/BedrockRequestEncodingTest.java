package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.api.openai.WireFormatException;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BedrockRequestEncodingTest {
  private static final BedrockAdapter ADAPTER = new BedrockAdapter(
      Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC), () -> "chatcmpl-fixed");
  private static final Target TARGET = new Target("aws", "anthropic.claude-3-5-haiku-20241022-v1:0", 1);

  private static ChatRequest request(String openAiJson) {
    try {
      return new ChatRequest(OpenAiRequestCodec.decode(Json.MAPPER.readTree(openAiJson)));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode body(String openAiJson) {
    try {
      return Json.parse(ADAPTER.encode(request(openAiJson), TARGET).body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void modelIdsInferenceProfilesAndArnsArePercentEncodedAsOnePathSegment() {
    ChatRequest hello = request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(ADAPTER.encode(hello, TARGET).path()).isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
    assertThat(ADAPTER.encode(hello, new Target("aws", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", 1)).path())
        .isEqualTo("/model/global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse");
    String arn = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0";
    UpstreamRequest streamed = ADAPTER.encode(request(
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), new Target("aws", arn, 1));
    assertThat(streamed.path()).isEqualTo("/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Ainference-profile"
        + "%2Feu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream");
    assertThat(streamed.headers().get("accept")).isEqualTo("application/vnd.amazon.eventstream");
  }

  @Test
  void samplingParametersGoToInferenceConfigAndModelSpecificOnesToAdditionalFields() {
    JsonNode b = body("""
        {"model":"m","max_completion_tokens":300,"temperature":1.6,"top_p":0.9,"stop":["\\n\\n","END"],
         "top_k":40,"thinking":{"type":"enabled","budget_tokens":2048},
         "messages":[{"role":"user","content":"Hi"}]}""");
    assertThat(b.path("inferenceConfig")).isEqualTo(json(
        "{\"maxTokens\":300,\"temperature\":1.0,\"topP\":0.9,\"stopSequences\":[\"\\n\\n\",\"END\"]}"));
    assertThat(b.path("additionalModelRequestFields")).isEqualTo(json(
        "{\"top_k\":40,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}"));
    assertThat(ADAPTER.unsupportedParams(request("""
        {"model":"m","seed":3,"top_k":4,"n":2,"messages":[{"role":"user","content":"Hi"}]}""")))
        .containsExactly("n", "seed");
  }

  @Test
  void toolChoiceMapsToAutoAnyAndToolAndNoneLeavesTheToolsOut() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
        + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
    String ask = "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]";
    assertThat(body("{\"model\":\"m\"," + tools + ",\"tool_choice\":\"auto\"," + ask + "}")
        .path("toolConfig").path("toolChoice")).isEqualTo(json("{\"auto\":{}}"));
    assertThat(body("{\"model\":\"m\"," + tools + ",\"tool_choice\":\"required\"," + ask + "}")
        .path("toolConfig").path("toolChoice")).isEqualTo(json("{\"any\":{}}"));
    assertThat(body("{\"model\":\"m\"," + tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":"
        + "{\"name\":\"get_weather\"}}," + ask + "}").path("toolConfig").path("toolChoice"))
        .isEqualTo(json("{\"tool\":{\"name\":\"get_weather\"}}"));
    assertThat(body("{\"model\":\"m\"," + tools + ",\"tool_choice\":\"none\"," + ask + "}").has("toolConfig")).isFalse();
    JsonNode spec = body("{\"model\":\"m\"," + tools + "," + ask + "}").path("toolConfig").path("tools").get(0);
    assertThat(spec).isEqualTo(json("""
        {"toolSpec":{"name":"get_weather","inputSchema":{"json":
          {"type":"object","properties":{"city":{"type":"string"}}}}}}"""));
  }

  @Test
  void imagesMustBeBase64OfATypeBedrockTakes() {
    JsonNode b = body("""
        {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What?"},
          {"type":"image_url","image_url":{"url":"data:image/jpg;base64,AAAA"}}]}]}""");
    assertThat(b.path("messages").get(0).path("content").get(1))
        .isEqualTo(json("{\"image\":{\"format\":\"jpeg\",\"source\":{\"bytes\":\"AAAA\"}}}"));
    assertThatThrownBy(() -> body("""
        {"model":"m","messages":[{"role":"user","content":[
          {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}"""))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("cannot fetch images by URL");
    assertThatThrownBy(() -> body("""
        {"model":"m","messages":[{"role":"user","content":[
          {"type":"image_url","image_url":{"url":"data:image/tiff;base64,AAAA"}}]}]}"""))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("image/tiff");
  }

  @Test
  void consecutiveUserTurnsMergeAndToolCallIdsBedrockWouldRefuseAreRewrittenInPairs() {
    JsonNode b = body("""
        {"model":"m","messages":[
          {"role":"user","content":"one"},{"role":"user","content":"two"},
          {"role":"assistant","tool_calls":[{"id":"functions.get_weather:0","type":"function",
            "function":{"name":"get_weather","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"functions.get_weather:0","content":"sunny"}]}""");
    JsonNode messages = b.path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).path("content")).isEqualTo(json("[{\"text\":\"one\"},{\"text\":\"two\"}]"));
    String callId = messages.get(1).path("content").get(0).path("toolUse").path("toolUseId").asText();
    assertThat(callId).matches("[A-Za-z0-9_-]+");
    assertThat(messages.get(2).path("content").get(0).path("toolResult").path("toolUseId").asText()).isEqualTo(callId);
  }

  @Test
  void aConverseAnswerDecodesWithStopReasonsAndCacheUsage() {
    ChatResponse r = ADAPTER.decode(Buffer.buffer("""
        {"output":{"message":{"role":"assistant","content":[{"text":"Cut"}]}},"stopReason":"max_tokens",
         "usage":{"inputTokens":10,"outputTokens":5,"totalTokens":45,"cacheReadInputTokens":20,"cacheWriteInputTokens":10}}"""));
    assertThat(r.body().choices().get(0).finishReason()).isEqualTo("length");
    assertThat(r.usage()).isEqualTo(new TokenUsage(40, 5, 20, 10, 0));
    ChatResponse filtered = ADAPTER.decode(Buffer.buffer("""
        {"output":{"message":{"role":"assistant","content":[{"text":"Sorry."}]}},"stopReason":"guardrail_intervened",
         "usage":{"inputTokens":10,"outputTokens":2}}"""));
    assertThat(filtered.body().choices().get(0).finishReason()).isEqualTo("content_filter");
    assertThatThrownBy(() -> ADAPTER.decode(Buffer.buffer("{\"message\":\"not an answer\"}")))
        .isInstanceOf(dev.sluice.core.UpstreamFailure.class);
  }
}
