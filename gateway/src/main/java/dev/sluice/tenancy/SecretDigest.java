package dev.sluice.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One configured secret (the master key, the metrics key) known only by its SHA-256 digest. A
 * presented value is hashed and the two digests compared with {@link MessageDigest#isEqual}, which
 * takes the same time whatever the bytes: how long a refusal takes tells nothing about how much of a
 * guess matched, and hashing first hides the secret's length too. Never compare secrets with
 * {@code String.equals}. Immutable; thread-safe.
 */
public final class SecretDigest {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  });

  private final byte[] digest;

  private SecretDigest(byte[] digest) {
    this.digest = digest;
  }

  /** The digest of {@code secret}; null for null (no secret configured). */
  public static SecretDigest of(String secret) {
    return secret == null ? null : new SecretDigest(sha256(secret));
  }

  /** Whether {@code presented} is the secret (false for null), in constant time over the digests. */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  /** The SHA-256 of the UTF-8 bytes of {@code text}. */
  static byte[] sha256(String text) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "SecretDigest[redacted]";
  }
}
