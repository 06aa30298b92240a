package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChatChunk;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import dev.sluice.testing.AwsEventStreams;
import dev.sluice.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ConverseStream bytes in, canonical chunks out, whatever the slices. */
class BedrockStreamTranslatorTest {

  private record Run(List<String> chunks, boolean completed, TokenUsage usage) {}

  private static Run run(List<Buffer> slices) {
    BedrockStreamTranslator t = new BedrockStreamTranslator("chatcmpl-1", 1_700_000_000L, "chat");
    List<String> out = new ArrayList<>();
    slices.forEach(s -> t.onBytes(s, c -> out.add(text(c))));
    t.onEnd(c -> out.add(text(c)));
    return new Run(out, t.completed(), t.usage());
  }

  private static String text(ChatChunk c) {
    try {
      return c.error() != null ? "ERROR " + c.error().status() + " " + c.error().code() + " " + c.error().message()
          : Json.MAPPER.writeValueAsString(c.chunk());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everyFixtureGivesTheSameChunksForEverySplit() {
    for (String fixture : List.of("bedrock/stream-text.jsonl", "bedrock/stream-tool-use.jsonl",
        "bedrock/stream-cache-reasoning.jsonl", "bedrock/stream-exception.jsonl")) {
      byte[] bytes = AwsEventStreams.bytes(fixture);
      Run whole = run(Splits.whole(bytes));
      for (List<Buffer> split : Splits.all(bytes)) {
        assertThat(run(split)).as("%s in %d slices", fixture, split.size()).isEqualTo(whole);
      }
    }
  }

  @Test
  void toolCallsAreIndexedFromZeroWhateverTheirBlockIndexAndUsageAddsTheCache() {
    Run r = run(Splits.whole(AwsEventStreams.bytes("bedrock/stream-tool-use.jsonl")));
    assertThat(r.completed()).isTrue();
    assertThat(String.join("\n", r.chunks())).contains("\"index\":0,\"id\":\"tooluse_Yl1xTq5cS2y5hQ3n8Wc0bA\"")
        .contains("\"index\":1,\"id\":\"tooluse_Qm0a8PzuT4K8F4n1wD9xkw\"").contains("\"finishReason\":\"tool_calls\"");
    Run cached = run(Splits.whole(AwsEventStreams.bytes("bedrock/stream-cache-reasoning.jsonl")));
    assertThat(cached.usage()).isEqualTo(new TokenUsage(1290, 109, 1024, 0, 0));
  }

  @Test
  void anExceptionFrameEndsTheStreamWithAClassifiedError() {
    Run r = run(Splits.whole(AwsEventStreams.bytes("bedrock/stream-exception.jsonl")));
    assertThat(r.completed()).isFalse();
    assertThat(r.chunks().get(r.chunks().size() - 1)).startsWith("ERROR 503 upstream_overloaded")
        .contains("Bedrock is unable to process your request.");
    Buffer throttled = AwsEventStreams.exception("throttlingException",
        "{\"message\":\"Too many tokens, please wait before trying again.\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(run(List.of(throttled)).chunks()).singleElement().asString().startsWith("ERROR 429 rate_limit_exceeded");
  }

  @Test
  void aBrokenFrameEndsTheStreamWithAnErrorInsteadOfWaiting() {
    byte[] bytes = AwsEventStreams.bytes("bedrock/stream-text.jsonl");
    bytes[bytes.length - 30] ^= 0x10; // inside the last frame's payload: its message CRC no longer matches
    for (List<Buffer> split : Splits.all(bytes)) {
      Run r = run(split);
      assertThat(r.completed()).isFalse();
      assertThat(r.chunks().get(r.chunks().size() - 1)).startsWith("ERROR 502 stream_error")
          .contains("message checksum mismatch");
      assertThat(r.chunks().stream().filter(c -> c.startsWith("ERROR"))).as("one error, then silence").hasSize(1);
    }
  }

  @Test
  void aStreamCutBeforeMessageStopIsNotComplete() {
    List<Buffer> frames = AwsEventStreams.frames("bedrock/stream-text.jsonl");
    Run r = run(frames.subList(0, 3));
    assertThat(r.completed()).isFalse();
    assertThat(r.chunks()).noneMatch(c -> c.contains("finishReason\":\"stop"));
  }
}
