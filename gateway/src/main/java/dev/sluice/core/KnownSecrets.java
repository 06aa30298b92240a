package dev.sluice.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The secrets one component holds (a provider's API key, the values of its configured headers, the
 * password of its base URL), removed from text before that text leaves the process. Providers
 * echo what they were sent — in 401 texts, in 5xx pages, in malformed answers — and a secret need
 * not look like a key (an Azure key is 32 hex digits), so matching key shapes alone is not enough:
 * this replaces each secret as written, URL-encoded, and in base64 (both alphabets, at each of the
 * three alignments, so a secret inside an encoded {@code Basic} or {@code Bearer} credential is
 * caught too) with {@code [redacted]}. So that a secret partly masked already (a key-shaped prefix
 * replaced by an earlier pass) leaves nothing readable behind, each run of at least
 * {@value #MIN_LENGTH} word characters inside a secret ({@code A-Z a-z 0-9 _ -}) is replaced too.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not treated as secrets: replacing them
 * everywhere would mangle ordinary text, and no provider issues keys that short. Immutable and
 * thread-safe; meant for error paths, never per streamed chunk.
 */
public final class KnownSecrets {
  public static final int MIN_LENGTH = 8;
  public static final KnownSecrets NONE = new KnownSecrets(List.of());
  private static final String REDACTED = "[redacted]";

  /** Every form to replace, longest first (a secret's encoded form may contain a shorter secret). */
  private final List<String> forms;

  private KnownSecrets(List<String> forms) {
    this.forms = forms;
  }

  /** The secrets among {@code values}; nulls and values under {@value #MIN_LENGTH} characters are skipped. */
  public static KnownSecrets of(Collection<String> values) {
    Set<String> forms = new LinkedHashSet<>();
    for (String v : values) {
      if (v == null || v.length() < MIN_LENGTH) {
        continue;
      }
      forms.add(v);
      forms.add(Urls.formEncode(v));
      forms.add(Urls.formEncode(v).replace("+", "%20"));
      forms.add(v.replace("/", "\\/")); // as a JSON encoder may write it
      forms.addAll(List.of(v.split("[^A-Za-z0-9_\\-]+")));
      byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
      for (int offset = 0; offset < 3; offset++) {
        forms.add(base64Core(Base64.getEncoder(), bytes, offset));
        forms.add(base64Core(Base64.getUrlEncoder(), bytes, offset));
      }
    }
    List<String> sorted = new ArrayList<>(forms);
    sorted.removeIf(f -> f.length() < MIN_LENGTH);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return sorted.isEmpty() ? NONE : new KnownSecrets(List.copyOf(sorted));
  }

  public boolean isEmpty() {
    return forms.isEmpty();
  }

  /** {@code text} with every form of every secret replaced; the same instance when none occurs. */
  public String redact(String text) {
    if (text == null || forms.isEmpty()) {
      return text;
    }
    String out = text;
    for (String form : forms) {
      if (out.contains(form)) {
        out = out.replace(form, REDACTED);
      }
    }
    return out;
  }

  /** The error with its message redacted; the same instance when nothing needed it. */
  public UpstreamError redact(UpstreamError error) {
    String message = redact(error.message());
    return message == error.message() ? error
        : new UpstreamError(error.errorClass(), error.status(), message, error.retryAfter());
  }

  /**
   * The base64 characters that encode {@code secret} alone when it starts {@code offset} bytes (mod 3)
   * into a longer encoded byte string: those of every 3-byte group wholly inside it.
   */
  private static String base64Core(Base64.Encoder encoder, byte[] secret, int offset) {
    byte[] shifted = new byte[offset + secret.length];
    System.arraycopy(secret, 0, shifted, offset, secret.length);
    String encoded = encoder.encodeToString(shifted);
    int firstGroup = (offset + 2) / 3;
    int endGroup = (offset + secret.length) / 3;
    return endGroup <= firstGroup ? "" : encoded.substring(4 * firstGroup, 4 * endGroup);
  }
}
