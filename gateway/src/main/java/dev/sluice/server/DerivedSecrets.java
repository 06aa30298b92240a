package dev.sluice.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets derived from the master key, one per purpose: HMAC-SHA256 of {@code "sluice/" + purpose}
 * under the master key. Every replica sharing the config derives the same bytes, a changed master
 * key changes them all, and what is derived for one purpose says nothing of the master key or of
 * another purpose. Stateless; thread-safe.
 */
final class DerivedSecrets {
  private DerivedSecrets() {}

  /** The 32-byte secret for {@code purpose}, or null when no master key is set. */
  static byte[] derive(String masterKey, String purpose) {
    if (masterKey == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(masterKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(("sluice/" + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
