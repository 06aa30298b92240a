package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SseFramerTest {

  private static List<String> frame(List<Buffer> slices) {
    SseFramer framer = new SseFramer();
    List<String> out = new ArrayList<>();
    for (Buffer b : slices) {
      framer.feed(b, e -> out.add(e.event() + "|" + e.dataAsString()));
    }
    framer.end(e -> out.add(e.event() + "|" + e.dataAsString()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai/stream-text.sse", "openai/stream-tools.sse", "openai/stream-crlf.sse", "openai/stream-error.sse"})
  void everySplitOfAFixtureGivesTheSameEvents(String fixture) {
    byte[] bytes = Splits.fixture(fixture);
    List<String> expected = frame(Splits.whole(bytes));
    assertThat(expected).isNotEmpty();
    for (List<Buffer> split : Splits.all(bytes)) {
      assertThat(frame(split)).isEqualTo(expected);
    }
  }

  @Test
  void handlesEveryLineEndingCommentsEventNamesAndMultiLineData() {
    String text = ": comment\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\n"
        + "data: line one\rdata: line two\r\rdata:nospace\n\nevent: ping\n\n";
    List<String> events = frame(Splits.singleBytes(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(events).containsExactly("message_start|{\"a\":1}", "null|line one\nline two", "null|nospace", "ping|");
  }

  @Test
  void crlfSplitBetweenSlicesCountsAsOneLineEnd() {
    List<String> events = frame(List.of(Buffer.buffer("data: a\r"), Buffer.buffer("\n\r"), Buffer.buffer("\ndata: b\n\n")));
    assertThat(events).containsExactly("null|a", "null|b");
  }

  @Test
  void multiByteCharactersSplitAcrossSlicesSurvive() {
    byte[] bytes = "data: héllo 👋\n\n".getBytes(StandardCharsets.UTF_8);
    assertThat(frame(Splits.singleBytes(bytes))).containsExactly("null|héllo 👋");
  }

  @Test
  void anUnterminatedLastEventIsStillDelivered() {
    assertThat(frame(List.of(Buffer.buffer("data: tail")))).containsExactly("null|tail");
  }
}
