package dev.sluice.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks client keys from {@code Authorization: Bearer} or {@code x-api-key}. Keys are held only as
 * SHA-256 digests and looked up by digest, so the time taken does not depend on how much of a guess
 * matches a real key (the digest of a guess shares no prefix structure with it). Immutable.
 */
final class ClientAuth {
  private final Map<Digest, Principal> principals = new HashMap<>();
  private final boolean enabled;

  /** @param keys plain key → who it is; empty means authentication is off */
  ClientAuth(Map<String, Principal> keys) {
    keys.forEach((key, who) -> principals.put(new Digest(sha256(key)), who));
    this.enabled = !keys.isEmpty();
  }

  boolean enabled() {
    return enabled;
  }

  /** Who the key belongs to, or empty when the presented key is missing or unknown. */
  Optional<Principal> authenticate(String authorization, String xApiKey) {
    String presented = xApiKey;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = authorization.substring(7).trim();
    }
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(principals.get(new Digest(sha256(presented))));
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** A digest usable as a map key. */
  private record Digest(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Digest d && MessageDigest.isEqual(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }
  }
}
