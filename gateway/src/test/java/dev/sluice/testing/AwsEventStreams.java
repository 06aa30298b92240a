package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Bedrock ConverseStream answers in their real binary framing, encoded by the AWS SDK's own
 * event-stream encoder (not Sluice's decoder run backwards). A fixture is JSON lines, one frame
 * each: {@code {"event":"contentBlockDelta","data":{...}}} for an event,
 * {@code {"exception":"throttlingException","data":{"message":...}}} for an exception.
 */
public final class AwsEventStreams {
  public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AwsEventStreams() {}

  /** The frames of a JSON-lines fixture under {@code src/test/resources/fixtures/}. */
  public static List<Buffer> frames(String fixture) {
    List<Buffer> out = new ArrayList<>();
    for (String line : new String(Splits.fixture(fixture), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode spec = JSON.readTree(line);
        byte[] payload = JSON.writeValueAsBytes(spec.get("data"));
        out.add(spec.has("exception") ? exception(spec.get("exception").asText(), payload)
            : event(spec.get("event").asText(), payload));
      } catch (java.io.IOException e) {
        throw new AssertionError("bad fixture line in " + fixture + ": " + line, e);
      }
    }
    return out;
  }

  /** A fake answer streaming the fixture's frames. */
  public static FakeResponse response(String fixture) {
    return FakeResponse.frames(CONTENT_TYPE, frames(fixture));
  }

  /** All the fixture's frames as one byte array. */
  public static byte[] bytes(String fixture) {
    Buffer all = Buffer.buffer();
    frames(fixture).forEach(all::appendBuffer);
    return all.getBytes();
  }

  public static Buffer event(String eventType, byte[] payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(eventType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return encode(headers, payload);
  }

  public static Buffer exception(String exceptionType, byte[] payload) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(exceptionType));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return encode(headers, payload);
  }

  public static Buffer encode(Map<String, HeaderValue> headers, byte[] payload) {
    ByteBuffer bytes = new Message(headers, payload).toByteBuffer();
    byte[] out = new byte[bytes.remaining()];
    bytes.get(out);
    return Buffer.buffer(out);
  }
}
