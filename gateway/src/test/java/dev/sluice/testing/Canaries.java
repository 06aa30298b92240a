package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognisable secrets a test plants (provider keys, the master key, client keys ...) and a search
 * for them in everything the test collected: each secret as written, URL-encoded, in base64 (both
 * alphabets, at every alignment, so a secret inside a larger encoded blob such as a Basic or a
 * {@code Bearer} header is found too), each run of 8 or more word characters inside it (what is
 * left readable when a pass masked only part of it) and, where asked, as its SHA-256 hex digest. Each collected
 * text is a named <em>surface</em>; {@link #assertNoneFound()} fails listing every surface, secret and
 * form found, so one run shows every leak.
 */
public final class Canaries {
  /** One thing a test looked at: an HTTP answer, the log, /metrics, a store file ... */
  private record Surface(String name, String text, boolean digestsAllowed, Set<String> allowed) {}

  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final List<Surface> surfaces = new ArrayList<>();

  /** Registers {@code value} under {@code label}; returns the value. */
  public String plant(String label, String value) {
    secrets.put(label, value);
    return value;
  }

  public Map<String, String> planted() {
    return Map.copyOf(secrets);
  }

  /** Adds a text to search; every planted secret and its digest must be absent from it. */
  public void surface(String name, String text) {
    surfaces.add(new Surface(name, text == null ? "" : text, false, Set.of()));
  }

  /**
   * Adds a text in which the named secrets may appear (the one answer that shows a new key), and,
   * with {@code digestsAllowed}, the SHA-256 digests of secrets (the key store keeps them by design).
   */
  public void surface(String name, String text, boolean digestsAllowed, String... allowedLabels) {
    surfaces.add(new Surface(name, text == null ? "" : text, digestsAllowed, Set.of(allowedLabels)));
  }

  /** Adds raw bytes (a database file, an export body), read as Latin-1 so every byte stays one char. */
  public void surface(String name, byte[] bytes, boolean digestsAllowed) {
    surfaces.add(new Surface(name, new String(bytes, StandardCharsets.ISO_8859_1), digestsAllowed, Set.of()));
  }

  public int surfaceCount() {
    return surfaces.size();
  }

  /** Every planted secret in every form, found in {@code text}: "label (form)". */
  public List<String> find(String text) {
    return find(new Surface("", text, false, Set.of()));
  }

  private List<String> find(Surface s) {
    List<String> hits = new ArrayList<>();
    secrets.forEach((label, value) -> {
      if (s.allowed().contains(label)) {
        return;
      }
      forms(value, !s.digestsAllowed()).forEach((form, encoded) -> {
        if (s.text().contains(encoded)) {
          hits.add(label + " (" + form + ")");
        }
      });
    });
    return hits;
  }

  /** Fails naming every surface that holds a planted secret in any form. */
  public void assertNoneFound() {
    assertThat(secrets).as("planted secrets").isNotEmpty();
    List<String> leaks = new ArrayList<>();
    for (Surface s : surfaces) {
      for (String hit : new LinkedHashSet<>(find(s))) {
        leaks.add(s.name() + ": " + hit);
      }
    }
    assertThat(leaks).as("secrets found in what a client, an operator or the store can see").isEmpty();
  }

  /** The forms of one secret searched for, by name. */
  static Map<String, String> forms(String secret, boolean withDigest) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("plain", secret);
    String urlEncoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    if (!urlEncoded.equals(secret)) {
      out.put("url-encoded", urlEncoded);
      out.put("url-encoded, %20 for spaces", urlEncoded.replace("+", "%20"));
    }
    String jsonEscaped = secret.replace("/", "\\/");
    if (!jsonEscaped.equals(secret)) {
      out.put("json-escaped", jsonEscaped);
    }
    for (String fragment : secret.split("[^A-Za-z0-9_\\-]+")) {
      if (fragment.length() >= 8 && !fragment.equals(secret)) {
        out.put("fragment " + fragment, fragment);
      }
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (int offset = 0; offset < 3; offset++) {
      out.put("base64 @" + offset, base64Core(Base64.getEncoder(), bytes, offset));
      out.put("base64url @" + offset, base64Core(Base64.getUrlEncoder(), bytes, offset));
    }
    if (withDigest) {
      out.put("sha-256 hex", sha256Hex(secret));
    }
    return out;
  }

  /**
   * The base64 characters that encode {@code secret} alone when it sits {@code offset} bytes (mod 3)
   * into a longer encoded byte string: the characters of every 3-byte group wholly inside it.
   */
  private static String base64Core(Base64.Encoder encoder, byte[] secret, int offset) {
    byte[] padded = new byte[offset + secret.length];
    System.arraycopy(secret, 0, padded, offset, secret.length);
    String encoded = encoder.encodeToString(padded);
    int firstGroup = (offset + 2) / 3;
    int endGroup = (offset + secret.length) / 3;
    return encoded.substring(4 * firstGroup, 4 * endGroup);
  }

  public static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
