package dev.sluice.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * How a plain client key becomes what the store keeps: its SHA-256 digest in lower-case hex (the
 * lookup key) and its first {@value #PREFIX_LENGTH} characters (for display). The plain key itself
 * is never stored. Stateless and thread-safe.
 */
public final class KeyHashes {
  public static final int PREFIX_LENGTH = 12;

  private KeyHashes() {}

  /** Lower-case hex SHA-256 of the key's UTF-8 bytes: 64 characters. */
  public static String sha256Hex(String plainKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(plainKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The first {@value #PREFIX_LENGTH} characters (all of a shorter key). */
  public static String prefix(String plainKey) {
    return plainKey.length() <= PREFIX_LENGTH ? plainKey : plainKey.substring(0, PREFIX_LENGTH);
  }

  /**
   * A new key id, {@code key_} and 20 lower-case hex characters (80 random bits). The source of
   * randomness is the caller's (ids are injected): a {@link java.security.SecureRandom} in
   * production, a seeded one in tests.
   */
  public static String newId(RandomGenerator random) {
    byte[] bytes = new byte[10];
    random.nextBytes(bytes);
    return "key_" + HexFormat.of().formatHex(bytes);
  }
}
