package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestJsonTest {
  private final RequestJson json = RequestJson.of(8, 20, 1024);

  private RequestJson.Refused refusal(String body) {
    return catchThrowableOfType(() -> json.parse(Buffer.buffer(body)), RequestJson.Refused.class);
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void parsesWhatIsWithinEveryLimit() throws Exception {
    String body = "{\"a\":" + nested(7) + ",\"n\":" + "1".repeat(20) + ",\"s\":\"" + "x".repeat(1024) + "\"}";
    assertThat(json.parse(Buffer.buffer(body)).get("s").textValue()).hasSize(1024);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedByName() {
    assertThat(refusal("{\"a\":" + nested(8) + "}"))
        .hasMessage("objects and arrays are nested deeper than the limit of 8 levels")
        .extracting(RequestJson.Refused::kind).isEqualTo(RequestJson.Refused.Kind.TOO_DEEP);
  }

  @Test
  void aNumberLongerThanTheLimitIsRefusedByName() {
    assertThat(refusal("{\"n\":" + "1".repeat(21) + "}")).hasMessageContaining("a number is longer than the limit of 20");
    assertThat(refusal("{\"n\":0." + "1".repeat(25) + "}").kind()).isEqualTo(RequestJson.Refused.Kind.NUMBER_TOO_LONG);
  }

  @Test
  void aStringLongerThanTheLimitIsRefusedByName() {
    RequestJson.Refused r = refusal("{\"s\":\"" + "x".repeat(1025) + "\"}");
    assertThat(r).hasMessageContaining("a string is longer than the limit of 1024");
    assertThat(r.limit()).isTrue();
  }

  @Test
  void invalidUtf8IsRefusedWithItsOffset() {
    byte[] b = "{\"s\":\"ab\"}".getBytes(StandardCharsets.US_ASCII);
    b[6] = (byte) 0xC0; // an overlong form Jackson itself would decode
    RequestJson.Refused r = catchThrowableOfType(() -> json.parse(Buffer.buffer(b)), RequestJson.Refused.class);
    assertThat(r).hasMessage("the body is not valid UTF-8 (byte 0xC0 at offset 6)");
    assertThat(r.kind()).isEqualTo(RequestJson.Refused.Kind.NOT_UTF8);
  }

  @Test
  void malformedJsonKeepsJacksonsFirstLine() {
    RequestJson.Refused r = refusal("{\"a\":}");
    assertThat(r.kind()).isEqualTo(RequestJson.Refused.Kind.MALFORMED);
    assertThat(r.limit()).isFalse();
    assertThat(r.getMessage()).contains("Unexpected character").doesNotContain("\n");
  }

  @Test
  void theSharedMapperKeepsJacksonsDefaults() throws Exception {
    // Provider answers are parsed with Json.MAPPER: a deep or long one there is not a client's doing.
    assertThat(Json.parse(Buffer.buffer("{\"a\":" + nested(100) + "}")).get("a").isArray()).isTrue();
  }
}
