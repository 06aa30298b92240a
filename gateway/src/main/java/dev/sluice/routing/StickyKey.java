package dev.sluice.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A conversation's identity for sticky routing: the first 64 bits of the SHA-256 of what the client
 * sent (its {@code x-sluice-session} header, or else the request's {@code user}). Only the hash is
 * kept, so the raw value never reaches a log. Immutable.
 */
public record StickyKey(long hash) {

  /** The key of {@code raw}; null for null or blank (no key: the request is not sticky). */
  public static StickyKey of(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return new StickyKey(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * A uniform number in [0, 1) from this key and {@code salt} (a target's label, a model's name):
   * independent for different salts, the same for the same pair on every replica and every run.
   */
  public double unit(String salt) {
    return (mix(hash ^ fnv(salt)) >>> 11) * 0x1.0p-53;
  }

  /** A bucket in [0, buckets) from this key and {@code salt}, as {@link #unit} is uniform. */
  public long bucket(String salt, long buckets) {
    return Long.remainderUnsigned(mix(hash ^ fnv(salt) ^ 0x5851F42D4C957F2DL), buckets);
  }

  /** 64-bit FNV-1a of the string's chars. */
  static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finalizer: every input bit affects every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
