package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  private static int firstInvalid(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Utf8.firstInvalid(b, 0, b.length);
  }

  @Test
  void acceptsAsciiAndEveryWellFormedSequenceLength() {
    byte[] text = "plain ascii, then é (2), € (3), 𝄞 (4), and U+10FFFF \uDBFF\uDFFF at the end"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.firstInvalid(text, 0, text.length)).isEqualTo(-1);
    assertThat(firstInvalid(0xED, 0x9F, 0xBF)).isEqualTo(-1); // U+D7FF, just below the surrogates
    assertThat(firstInvalid(0xEE, 0x80, 0x80)).isEqualTo(-1); // U+E000, just above them
  }

  @Test
  void findsTheFirstBadByteAfterALongAsciiRun() {
    byte[] b = ("x".repeat(37) + "\u00e9").getBytes(StandardCharsets.UTF_8);
    b[37] = (byte) 0xFF;
    assertThat(Utf8.firstInvalid(b, 0, b.length)).isEqualTo(37);
    assertThat(Utf8.firstInvalid(b, 0, 37)).isEqualTo(-1); // the range end is respected
  }

  @Test
  void refusesWhatJacksonWouldDecodeWithoutComplaint() {
    assertThat(firstInvalid(0x41, 0xC0, 0x80)).as("overlong NUL").isEqualTo(1);
    assertThat(firstInvalid(0xC1, 0xBF)).as("overlong ASCII").isEqualTo(0);
    assertThat(firstInvalid(0xE0, 0x80, 0xAF)).as("overlong 3-byte").isEqualTo(0);
    assertThat(firstInvalid(0xF0, 0x80, 0x80, 0xAF)).as("overlong 4-byte").isEqualTo(0);
    assertThat(firstInvalid(0xED, 0xA0, 0x80)).as("encoded surrogate").isEqualTo(0);
    assertThat(firstInvalid(0xF4, 0x90, 0x80, 0x80)).as("above U+10FFFF").isEqualTo(0);
    assertThat(firstInvalid(0xF5, 0x80, 0x80, 0x80)).as("lead byte above U+10FFFF").isEqualTo(0);
  }

  @Test
  void refusesStrayContinuationsAndTruncatedSequences() {
    assertThat(firstInvalid(0x61, 0x80)).isEqualTo(1);
    assertThat(firstInvalid(0x61, 0xC3)).as("truncated at the end").isEqualTo(1);
    assertThat(firstInvalid(0xE2, 0x82, 0x41)).as("ASCII inside a sequence").isEqualTo(0);
    assertThat(firstInvalid(0xF0, 0x9D, 0x84)).as("3 of 4 bytes").isEqualTo(0);
  }
}
