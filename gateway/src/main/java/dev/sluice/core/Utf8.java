package dev.sluice.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF, no truncated sequences. Jackson's parser catches most malformed bytes but decodes some
 * of these without complaint, so request bodies are checked here first. ASCII runs are checked 8
 * bytes at a time: a base64 image of 10 MB costs a few milliseconds.
 */
public final class Utf8 {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /**
   * The index of the first byte in {@code [from, to)} that does not begin a well-formed UTF-8
   * sequence ending before {@code to}, or -1 when the whole range is well-formed.
   */
  public static int firstInvalid(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      if (i + 8 <= to && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int length = sequenceLength(b);
      if (length == 0 || i + length > to || !wellFormed(bytes, i, b, length)) {
        return i;
      }
      i += length;
    }
    return -1;
  }

  /** The length of the sequence lead byte {@code b} starts; 0 if it cannot start one. */
  private static int sequenceLength(int b) {
    if (b >= 0xC2 && b <= 0xDF) {
      return 2;
    }
    if (b >= 0xE0 && b <= 0xEF) {
      return 3;
    }
    if (b >= 0xF0 && b <= 0xF4) {
      return 4;
    }
    return 0; // continuation bytes, C0/C1 (overlong), F5..FF (above U+10FFFF)
  }

  private static boolean wellFormed(byte[] bytes, int i, int lead, int length) {
    int second = bytes[i + 1] & 0xff;
    // The second byte's range is narrower after some lead bytes (Unicode table 3-7).
    int lo = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
    int hi = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
    if (second < lo || second > hi) {
      return false;
    }
    for (int k = 2; k < length; k++) {
      int c = bytes[i + k] & 0xff;
      if (c < 0x80 || c > 0xBF) {
        return false;
      }
    }
    return true;
  }
}
