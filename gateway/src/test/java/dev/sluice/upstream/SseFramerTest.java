package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

  // --- The bulk framer against the byte-at-a-time one it replaced (ReferenceSseFramer). ---

  private static List<String> reference(List<Buffer> slices) {
    ReferenceSseFramer framer = new ReferenceSseFramer();
    List<String> out = new ArrayList<>();
    for (Buffer b : slices) {
      framer.feed(b, e -> out.add(e.event() + "|" + e.dataAsString()));
    }
    framer.end(e -> out.add(e.event() + "|" + e.dataAsString()));
    return out;
  }

  private static final String TRICKY = ": comment\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\n"
      + "data: line one\rdata: line two\r\rdata:nospace\n\nevent: ping\n\n"
      + "data\n\ndata:\n\ndata: \n\n:\n\nid: 7\nretry: 10\nfoo: bar\ndata:  two spaces\r\n\r\n"
      + "event:\ndata: x\n\n\n\n\r\r\r\n\ndata: caf\u00e9 \ud83d\udc4b\n"
      + "data: " + "y".repeat(700) + "\ndata: " + "z".repeat(1500) + "\r\n\r\n"
      + "event: tail\ndata: unterminated";

  @Test
  void everyTwoWaySplitOfTrickyInputGivesTheWholeFeedEvents() {
    byte[] bytes = TRICKY.getBytes(StandardCharsets.UTF_8);
    List<String> expected = frame(Splits.whole(bytes));
    assertThat(expected).isEqualTo(reference(Splits.whole(bytes)));
    assertThat(expected).contains("message_start|{\"a\":1}", "null|line one\nline two", "null|", "null| two spaces",
        "|x", "null|café 👋\n" + "y".repeat(700) + "\n" + "z".repeat(1500), "tail|unterminated");
    for (int cut = 0; cut <= bytes.length; cut++) {
      List<Buffer> two = List.of(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, cut)),
          Buffer.buffer(java.util.Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertThat(frame(two)).as("split at %d", cut).isEqualTo(expected);
    }
    assertThat(frame(Splits.singleBytes(bytes))).isEqualTo(expected);
    for (long seed = 1; seed <= 50; seed++) {
      assertThat(frame(Splits.random(bytes, seed))).as("seed %d", seed).isEqualTo(expected);
    }
  }

  @Test
  void randomStreamsAndRandomSplitsGiveTheReferenceFramersEvents() {
    String[] pieces = {"data:", "data: ", "event: ", "event:", ":", " ", "id: 1", "x", "hello", "é", "{\"k\":\"v\"}",
        "\n", "\n", "\r", "\r\n", "\n\n", "\r\r", "data", "ev", "ent", "da", "ta"};
    Random r = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(round % 10 == 0 ? 400 : 40); // some longer than the framer's buffer
      for (int i = 0; i < n; i++) {
        sb.append(pieces[r.nextInt(pieces.length)]);
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      List<String> expected = reference(Splits.whole(bytes));
      assertThat(frame(Splits.whole(bytes))).as("%s", sb).isEqualTo(expected);
      assertThat(frame(Splits.random(bytes, round))).as("%s", sb).isEqualTo(expected);
      assertThat(frame(Splits.singleBytes(bytes))).as("%s", sb).isEqualTo(expected);
    }
  }

  @Test
  void emptySlicesChangeNothing() {
    List<String> events = frame(List.of(Buffer.buffer("data: a\r"), Buffer.buffer(), Buffer.buffer("\n"),
        Buffer.buffer(), Buffer.buffer("\ndata: b"), Buffer.buffer()));
    assertThat(events).containsExactly("null|a", "null|b");
  }

  @Test
  void eachEventOwnsItsBytes() {
    SseFramer framer = new SseFramer();
    List<SseEvent> events = new ArrayList<>();
    framer.feed(Buffer.buffer("data: first\n\ndata: second\n\n"), events::add);
    framer.feed(Buffer.buffer("data: third!\n\n"), events::add);
    assertThat(events).extracting(SseEvent::dataAsString).containsExactly("first", "second", "third!");
  }

  @Test
  void aLargeSliceOfManyEventsDoesNotGrowTheHeldBuffer() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      sb.append("data: {\"i\":").append(i).append(",\"pad\":\"").append("p".repeat(200)).append("\"}\n\n");
    }
    SseFramer framer = new SseFramer();
    List<String> events = new ArrayList<>();
    framer.feed(Buffer.buffer(sb.toString()), e -> events.add(e.dataAsString()));
    assertThat(events).hasSize(200);
    assertThat(events.get(199)).startsWith("{\"i\":199,");
    // Held memory follows the longest line (~230 bytes), not the 48 kB slice.
    assertThat(framer.retainedBytes()).isLessThanOrEqualTo(1024);
  }

  @Test
  void betweenEventsNothingIsHeldAndAnEventSplitAcrossSlicesStaysWhole() {
    SseFramer framer = new SseFramer();
    List<String> events = new ArrayList<>();
    framer.feed(Buffer.buffer("data: one\n\n"), e -> events.add(e.dataAsString()));
    assertThat(framer.retainedBytes()).as("a slice that ends on an event boundary leaves nothing").isZero();

    framer.feed(Buffer.buffer("data: {\"a\":"), e -> events.add(e.dataAsString())); // an unfinished line
    assertThat(framer.retainedBytes()).isPositive();
    framer.feed(Buffer.buffer("1}\ndata: second line\n"), e -> events.add(e.dataAsString())); // an open event
    assertThat(framer.retainedBytes()).isPositive();
    framer.feed(Buffer.buffer("\r"), e -> events.add(e.dataAsString())); // its blank line, CR only
    assertThat(framer.retainedBytes()).isZero();
    framer.feed(Buffer.buffer("\ndata: three\r\n\r\n"), e -> events.add(e.dataAsString())); // LF of the CRLF
    assertThat(framer.retainedBytes()).isZero();

    assertThat(events).containsExactly("one", "{\"a\":1}\nsecond line", "three");
  }
}
