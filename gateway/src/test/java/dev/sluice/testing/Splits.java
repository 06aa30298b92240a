package dev.sluice.testing;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Cuts a byte stream into slices: whole, one byte at a time, or at random points (seeded). */
public final class Splits {
  private Splits() {}

  public static byte[] fixture(String path) {
    try (InputStream in = Splits.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new AssertionError("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public static List<Buffer> whole(byte[] bytes) {
    return List.of(Buffer.buffer(bytes));
  }

  public static List<Buffer> singleBytes(byte[] bytes) {
    List<Buffer> out = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      out.add(Buffer.buffer(new byte[] {b}));
    }
    return out;
  }

  public static List<Buffer> random(byte[] bytes, long seed) {
    Random r = new Random(seed);
    List<Buffer> out = new ArrayList<>();
    int i = 0;
    while (i < bytes.length) {
      int n = 1 + r.nextInt(Math.min(64, bytes.length - i));
      out.add(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, i + n)));
      i += n;
    }
    return out;
  }

  /** Whole, single bytes, and five random splits. */
  public static List<List<Buffer>> all(byte[] bytes) {
    List<List<Buffer>> out = new ArrayList<>();
    out.add(whole(bytes));
    out.add(singleBytes(bytes));
    for (long seed = 1; seed <= 5; seed++) {
      out.add(random(bytes, seed));
    }
    return out;
  }
}
