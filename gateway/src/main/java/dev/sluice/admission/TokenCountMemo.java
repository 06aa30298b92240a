package dev.sluice.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.util.function.ToIntFunction;

/**
 * Token counts of long texts, remembered by a fingerprint of the text, so that a text sent again is
 * not tokenized again.
 *
 * <p>Why: counting with a real encoding ran at ~14 MB/s (o200k_base through jtokkit's regular
 * expression, measured here), so a 4.6 kB prompt cost ~320 µs of event-loop CPU, three times the rest
 * of Sluice's work on a request; {@link O200kCounter} brought that to 35-90 million characters a
 * second (mixed scripts to English), still 45-120 µs per 4 kB. Most of a request's text was sent before: an application's system
 * prompt is the same on every call, and each turn of a conversation sends the earlier turns again.
 * Fingerprinting a text costs ~1 µs per 4 kB.
 *
 * <p>The key is a 128-bit fingerprint of the text's characters (two differently mixed lanes with
 * seeds drawn per process), its length and the encoding; the texts themselves are not kept (a prompt
 * must not outlive its request). Two texts with the same key would share a count; that could only
 * make a reservation off by a prompt's worth of tokens until it is settled on the provider's usage.
 * Bounded in entries (~100 bytes each); the least useful are evicted first.
 */
final class TokenCountMemo {
  /** Shorter texts are counted outright: a look-up would cost about as much. */
  static final int MIN_CHARS = 256;
  private static final long SEED_A;
  private static final long SEED_B;

  static {
    SecureRandom random = new SecureRandom();
    SEED_A = random.nextLong();
    SEED_B = random.nextLong();
  }

  /** A text's fingerprint in one encoding: {@link #key}, made once and used for both asking and remembering. */
  record Key(long a, long b, int length, int encoding) {}

  private final Cache<Key, Integer> counts;

  TokenCountMemo(long maxEntries) {
    this.counts = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .executor(Runnable::run) // maintenance is tiny; no hop to the common pool
        .build();
  }

  /** {@code text}'s tokens in encoding number {@code encoding}, counted by {@code counter} when not known. */
  int count(int encoding, String text, ToIntFunction<String> counter) {
    Key key = key(encoding, text);
    Integer known = recall(key);
    return known != null ? known : countAndRemember(key, text, counter);
  }

  /**
   * Counts {@code text}, whose {@link #key} was made and found not remembered, and remembers it (a short
   * text's null key: counted only). No second look-up: {@link PromptEstimate} asks first, once.
   */
  int countAndRemember(Key key, String text, ToIntFunction<String> counter) {
    int n = counter.applyAsInt(text);
    if (key != null) {
      counts.put(key, n);
    }
    return n;
  }

  /** The remembered count of the text with this {@link #key}, or null (a short text's null key: always). */
  Integer recall(Key key) {
    return key == null ? null : counts.getIfPresent(key);
  }

  long size() {
    counts.cleanUp();
    return counts.estimatedSize();
  }

  /**
   * {@code text}'s fingerprint in encoding number {@code encoding}, or null for a text shorter than
   * {@link #MIN_CHARS}, which is counted outright. Linear in the text: make it once per text and request.
   */
  static Key key(int encoding, String text) {
    if (text.length() < MIN_CHARS) {
      return null;
    }
    long a = SEED_A;
    long b = SEED_B;
    int n = text.length();
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      long k = text.charAt(i) | (long) text.charAt(i + 1) << 16 | (long) text.charAt(i + 2) << 32
          | (long) text.charAt(i + 3) << 48;
      a = A.step(a, k);
      b = B.step(b, k);
    }
    long tail = 0;
    for (int shift = 0; i < n; i++, shift += 16) {
      tail |= (long) text.charAt(i) << shift;
    }
    a = A.step(a, tail);
    b = B.step(b, tail);
    return new Key(finish(a ^ n), finish(b ^ n), n, encoding);
  }

  /**
   * One lane of the fingerprint: MurmurHash3's 64-bit block step with these constants. The two lanes
   * differ in all of them, so that they collide independently. (A record's final fields are constants
   * to the JIT.)
   */
  private record Lane(long c1, long c2, int rotateK, int rotateH, long m, long n) {
    long step(long h, long k) {
      k *= c1;
      k = Long.rotateLeft(k, rotateK);
      k *= c2;
      h ^= k;
      return Long.rotateLeft(h, rotateH) * m + n;
    }
  }

  private static final Lane A = new Lane(0x87c37b91114253d5L, 0x4cf5ad432745937fL, 31, 27, 5, 0x52dce729);
  private static final Lane B = new Lane(0x9e3779b97f4a7c15L, 0xc2b2ae3d27d4eb4fL, 29, 31, 9, 0x38495ab5);

  /** MurmurHash3's finalizer: every input bit reaches every output bit. */
  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ h >>> 33;
  }
}
