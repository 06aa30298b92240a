package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.testing.Splits;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class VertexAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final VertexAdapter adapter = new VertexAdapter("my-project", "us-east5", Clock.systemUTC());

  private static ChatRequest request(boolean stream) throws Exception {
    return new ChatRequest(OpenAiRequestCodec.decode(JSON.readTree("""
        {"model":"chat","max_tokens":100,"stream":%s,"messages":[{"role":"system","content":"Be brief."},
         {"role":"user","content":"Hi"}]}""".formatted(stream))));
  }

  @Test
  void claudeGoesToRawPredictWithTheVertexVersionInTheBodyAndNoModel() throws Exception {
    UpstreamRequest whole = adapter.encode(request(false), new Target("vertex", "claude-opus-4-1@20250805", 1));
    UpstreamRequest stream = adapter.encode(request(true), new Target("vertex", "claude-opus-4-1@20250805", 1));

    assertThat(whole.path()).isEqualTo(
        "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-opus-4-1@20250805:rawPredict");
    assertThat(stream.path()).endsWith("/anthropic/models/claude-opus-4-1@20250805:streamRawPredict");
    JsonNode body = JSON.readTree(whole.body().getBytes());
    assertThat(body.has("model")).isFalse();
    assertThat(body.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
    assertThat(body.path("system").toString()).contains("Be brief.");
    assertThat(whole.headers().get("anthropic-version")).as("the version goes in the body on Vertex").isNull();
    assertThat(JSON.readTree(stream.body().getBytes()).path("stream").asBoolean()).isTrue();
  }

  @Test
  void geminiGoesToGenerateContentWithGeminisBody() throws Exception {
    UpstreamRequest whole = adapter.encode(request(false), new Target("vertex", "gemini-2.5-pro", 1));
    UpstreamRequest stream = adapter.encode(request(true), new Target("vertex", "gemini-2.5-pro", 1));

    assertThat(whole.path()).isEqualTo(
        "/v1/projects/my-project/locations/us-east5/publishers/google/models/gemini-2.5-pro:generateContent");
    assertThat(stream.path()).endsWith("/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    JsonNode body = JSON.readTree(whole.body().getBytes());
    assertThat(body.path("contents").get(0).path("parts").get(0).path("text").asText()).isEqualTo("Hi");
    assertThat(body.path("systemInstruction").toString()).contains("Be brief.");
  }

  /** Each family's stream, found by its first bytes, gives the family translator's answer under every split. */
  @ParameterizedTest
  @ValueSource(strings = {"gemini/stream-text.sse", "gemini/stream-thinking.sse", "gemini/stream-function-call.sse",
      "anthropic/stream/text.sse", "anthropic/stream/thinking.sse", "anthropic/stream/tool_use_after_text.sse"})
  void streamsOfEitherFamilyTranslateTheSameUnderEverySplit(String fixture) throws Exception {
    byte[] bytes = ("\n" + new String(Splits.fixture(fixture), java.nio.charset.StandardCharsets.UTF_8))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String expected = null;
    for (List<Buffer> slices : Splits.all(bytes)) {
      StreamTranslator t = adapter.newStreamTranslator(request(true));
      List<ChatChunk> out = new ArrayList<>();
      slices.forEach(s -> t.onBytes(s, out::add));
      t.onEnd(out::add);
      String seen = summary(out) + " usage=" + t.usage() + " completed=" + t.completed();
      assertThat(t.completed()).as(fixture).isTrue();
      assertThat(seen).as(fixture).doesNotContain("error");
      if (expected == null) {
        expected = seen;
        assertThat(summary(out)).as("%s gave something", fixture).isNotBlank();
      }
      assertThat(seen).as("%s in %d slices", fixture, slices.size()).isEqualTo(expected);
    }
  }

  /** Text, reasoning, tool calls and finish reasons, without the ids and times a translator makes up. */
  private static String summary(List<ChatChunk> chunks) {
    StringBuilder sb = new StringBuilder();
    for (ChatChunk c : chunks) {
      if (c.error() != null) {
        sb.append("error:").append(c.error());
      }
      if (c.chunk() == null) {
        continue;
      }
      for (var choice : c.chunk().choices()) {
        var d = choice.delta();
        if (d.content() != null) {
          sb.append(d.content());
        }
        if (d.toolCalls() != null) {
          d.toolCalls().forEach(tc -> sb.append("[tool ").append(tc.index()).append(' ').append(tc.name())
              .append(' ').append(tc.arguments()).append(']'));
        }
        if (choice.finishReason() != null) {
          sb.append("{finish ").append(choice.finishReason()).append('}');
        }
      }
    }
    return sb.toString();
  }

  @Test
  void errorsAreClassifiedByTheirShape() {
    var google = adapter.classify(429, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(
        "{\"error\":{\"code\":429,\"message\":\"Quota exceeded for aiplatform.googleapis.com\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
    var claude = adapter.classify(529, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    var notFound = adapter.classify(404, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(
        "{\"error\":{\"code\":404,\"message\":\"Publisher Model `claude-x` not found.\",\"status\":\"NOT_FOUND\"}}"));

    assertThat(google.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(claude.errorClass()).isEqualTo(ErrorClass.OVERLOADED);
    assertThat(notFound.errorClass()).isEqualTo(ErrorClass.NOT_FOUND);
  }
}
