package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.AwsEventStreams;
import dev.sluice.testing.Splits;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;

/** The event-stream framing against frames the AWS SDK's encoder wrote, cut anywhere. */
class EventStreamDecoderTest {

  private static List<String> decode(List<Buffer> slices) {
    EventStreamDecoder decoder = new EventStreamDecoder();
    List<String> out = new ArrayList<>();
    for (Buffer slice : slices) {
      decoder.feed(slice, m -> out.add(m.header(":event-type") + "|" + m.header(":message-type") + "|"
          + new String(m.payload(), StandardCharsets.UTF_8)));
    }
    assertThat(decoder.hasPartialMessage()).isFalse();
    return out;
  }

  @Test
  void everySplitGivesTheSameMessages() {
    byte[] bytes = AwsEventStreams.bytes("bedrock/stream-tool-use.jsonl");
    List<String> whole = decode(Splits.whole(bytes));
    assertThat(whole).hasSize(15);
    assertThat(whole.get(0)).startsWith("messageStart|event|{");
    assertThat(whole.get(14)).startsWith("metadata|event|").contains("\"inputTokens\":498");
    for (List<Buffer> split : Splits.all(bytes)) {
      assertThat(decode(split)).as("%d slices", split.size()).isEqualTo(whole);
    }
  }

  @Test
  void headersOfEveryValueTypeAreReadPastAndStringsKept() {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put("flag", HeaderValue.fromBoolean(true));
    headers.put("off", HeaderValue.fromBoolean(false));
    headers.put("b", HeaderValue.fromByte((byte) 7));
    headers.put("s", HeaderValue.fromShort((short) 300));
    headers.put("i", HeaderValue.fromInteger(70000));
    headers.put("l", HeaderValue.fromLong(1L << 40));
    headers.put("bytes", HeaderValue.fromByteArray(new byte[] {1, 2, 3}));
    headers.put("ts", HeaderValue.fromTimestamp(java.time.Instant.parse("2026-12-05T00:00:00Z")));
    headers.put("id", HeaderValue.fromUuid(UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e")));
    headers.put(":event-type", HeaderValue.fromString("contentBlockDelta"));
    byte[] payload = "{\"delta\":{\"text\":\"ü\"}}".getBytes(StandardCharsets.UTF_8);
    Buffer frame = AwsEventStreams.encode(headers, payload);

    List<EventStreamDecoder.Message> out = new ArrayList<>();
    new EventStreamDecoder().feed(frame, out::add);

    assertThat(out).hasSize(1);
    assertThat(out.get(0).headers()).containsExactly(Map.entry(":event-type", "contentBlockDelta"));
    assertThat(out.get(0).payload()).isEqualTo(payload);
  }

  @Test
  void aCorruptPreludeOrMessageChecksumIsAnErrorNotAWait() {
    byte[] frame = AwsEventStreams.event("messageStart", "{\"role\":\"assistant\"}".getBytes(StandardCharsets.UTF_8))
        .getBytes();
    byte[] badPrelude = frame.clone();
    badPrelude[9] ^= 0x01;
    assertThatThrownBy(() -> new EventStreamDecoder().feed(Buffer.buffer(badPrelude), m -> { }))
        .isInstanceOf(EventStreamDecoder.EventStreamException.class).hasMessageContaining("prelude checksum");

    byte[] badPayload = frame.clone();
    badPayload[frame.length - 6] ^= 0x20;
    EventStreamDecoder byBytes = new EventStreamDecoder();
    assertThatThrownBy(() -> Splits.singleBytes(badPayload).forEach(b -> byBytes.feed(b, m -> { })))
        .isInstanceOf(EventStreamDecoder.EventStreamException.class).hasMessageContaining("message checksum");
  }

  @Test
  void aLengthNoMessageCanHaveIsAnErrorEvenWithAValidPreludeChecksum() {
    Buffer prelude = Buffer.buffer().appendInt(8).appendInt(0);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(prelude.getBytes());
    prelude.appendInt((int) crc.getValue());
    assertThatThrownBy(() -> new EventStreamDecoder().feed(prelude, m -> { }))
        .isInstanceOf(EventStreamDecoder.EventStreamException.class).hasMessageContaining("impossible message length");
  }

  @Test
  void aStreamCutMidFrameLeavesAPartialMessage() {
    byte[] frame = AwsEventStreams.event("messageStart", "{}".getBytes(StandardCharsets.UTF_8)).getBytes();
    EventStreamDecoder decoder = new EventStreamDecoder();
    List<EventStreamDecoder.Message> out = new ArrayList<>();
    decoder.feed(Buffer.buffer(java.util.Arrays.copyOf(frame, frame.length - 3)), out::add);
    assertThat(out).isEmpty();
    assertThat(decoder.hasPartialMessage()).isTrue();
  }
}
