package dev.sluice.console;

import dev.sluice.extension.ConsoleSession;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's session token: {@code v2.<sealed>.<mac>}, both parts base64url without padding.
 * {@code sealed} is the payload {@code id|a or c|key hash|key name (base64url)|expiry (epoch
 * seconds)} encrypted with AES-GCM (a random 12-byte nonce first) under a key derived from the
 * signing secret, and the MAC an HMAC-SHA256 of {@code v2.<sealed>} under the signing secret.
 * Encrypted because a client key's SHA-256 is in it: a short static key could be guessed offline
 * from its hash by whoever copied the cookie, which would turn a stolen session into a stolen key.
 * The CSRF token of a session is an HMAC of its id under the signing secret, so it needs no
 * storage and cannot be made without the secret. Immutable; thread-safe.
 */
final class SessionTokens {
  private static final String VERSION = "v2";
  private static final int NONCE_BYTES = 12;
  private static final java.security.SecureRandom NONCES = new java.security.SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
  /** Far longer than any token this class makes; a longer cookie is not even looked at. */
  static final int MAX_TOKEN_CHARS = 1024;

  private final SecretKeySpec key;
  private final SecretKeySpec sealKey;

  SessionTokens(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("the session signing secret needs at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.sealKey = new SecretKeySpec(mac("console-session-encryption"), "AES");
  }

  /** The signed token for a new session (its {@code csrf} is ignored: it is derived from the id). */
  String sign(String id, ConsoleSession.Role role, String keyHash, String keyName, Instant expiresAt) {
    String payload = String.join("|", id, role == ConsoleSession.Role.ADMIN ? "a" : "c",
        keyHash == null ? "" : keyHash, keyName == null ? "" : B64.encodeToString(keyName.getBytes(StandardCharsets.UTF_8)),
        Long.toString(expiresAt.getEpochSecond()));
    String signed = VERSION + "." + B64.encodeToString(seal(payload.getBytes(StandardCharsets.UTF_8)));
    return signed + "." + B64.encodeToString(mac(signed));
  }

  /**
   * The session a token stands for, or null when it is not one of ours (malformed, made under
   * another secret, altered in any byte) or has expired by {@code now}.
   */
  ConsoleSession verify(String token, Instant now) {
    if (token == null || token.length() > MAX_TOKEN_CHARS) {
      return null;
    }
    int dot = token.lastIndexOf('.');
    if (dot < 0 || !token.startsWith(VERSION + ".")) {
      return null;
    }
    String signed = token.substring(0, dot);
    // Compared as text: base64 decoders ignore the spare bits of the last character, so two
    // spellings would decode to the same MAC; only our own spelling is accepted.
    byte[] expected = B64.encodeToString(mac(signed)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    // Signed by us: the payload is well-formed unless the format changed without a version bump.
    try {
      String[] f = new String(unseal(UNB64.decode(signed.substring(VERSION.length() + 1))), StandardCharsets.UTF_8)
          .split("\\|", -1);
      if (f.length != 5 || !(f[1].equals("a") || f[1].equals("c"))) {
        return null;
      }
      Instant expires = Instant.ofEpochSecond(Long.parseLong(f[4]));
      if (!now.isBefore(expires)) {
        return null;
      }
      boolean admin = f[1].equals("a");
      if (f[0].isEmpty() || (!admin && f[2].length() != 64)) {
        return null;
      }
      return new ConsoleSession(f[0], admin ? ConsoleSession.Role.ADMIN : ConsoleSession.Role.CLIENT,
          admin ? null : f[2], admin ? null : new String(UNB64.decode(f[3]), StandardCharsets.UTF_8), expires,
          csrf(f[0]));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The CSRF token of session {@code id}. */
  String csrf(String id) {
    return B64.encodeToString(mac("csrf|" + id));
  }

  private byte[] seal(byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    NONCES.nextBytes(nonce);
    try {
      javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(javax.crypto.Cipher.ENCRYPT_MODE, sealKey, new javax.crypto.spec.GCMParameterSpec(128, nonce));
      byte[] sealed = aes.doFinal(plain);
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /** The payload; only called on a token whose MAC is ours, so a failure means a format change. */
  private byte[] unseal(byte[] sealed) {
    if (sealed.length <= NONCE_BYTES) {
      throw new IllegalArgumentException("short token");
    }
    try {
      javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(javax.crypto.Cipher.DECRYPT_MODE, sealKey, new javax.crypto.spec.GCMParameterSpec(128, sealed, 0,
          NONCE_BYTES));
      return aes.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not sealed by us", e);
    }
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
