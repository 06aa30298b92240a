package dev.sluice.server;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the client's {@code x-request-id} when it is sane, else a fresh one,
 * {@code req_} + 32 hex digits: the first 12 the time in epoch milliseconds, the other 20 random
 * (80 bits). Time first, so ids made later sort later: the ledger's and the request log's keys
 * (the id, and {@code id:attempt}) then go in at the end of their B-trees, where a batch touches a
 * few pages, instead of one random page per row (bench/results/ledger-cost.md).
 */
final class RequestIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String accept(String fromClient) {
    if (fromClient != null && !fromClient.isEmpty() && fromClient.length() <= 128 && printable(fromClient)) {
      return fromClient;
    }
    return generate();
  }

  static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    // 48 bits of milliseconds, then 16 + 64 random bits.
    long a = (System.currentTimeMillis() << 16) | (r.nextInt() & 0xffff);
    long b = r.nextLong();
    char[] out = new char[36];
    "req_".getChars(0, 4, out, 0);
    for (int i = 0; i < 16; i++) {
      out[4 + i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
      out[20 + i] = HEX[(int) (b >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out);
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
