package dev.sluice.provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rewrites the tool-call ids of one request's history into a form a provider accepts, keeping every
 * tool result paired with its call. Conversations move between providers: ids from one (OpenAI
 * {@code call_…}, Anthropic {@code toolu_…}, Kimi {@code functions.get_weather:0}, ids longer than
 * 40 characters from the Responses API, {@code call_0} repeated in every turn by Gemini routes) are
 * refused by another (Anthropic allows only {@code [A-Za-z0-9_-]} and unique ids, OpenAI at most
 * 40 characters, Mistral exactly 9 letters and digits).
 *
 * <p>Pure and deterministic: the same messages map to the same ids on every retry. An id the
 * provider accepts and that is not a repeat stays as it is. Otherwise the new id is derived from a
 * hash of the original (and its occurrence, for repeats), so distinct ids stay distinct. A tool
 * result takes the id given to the latest call with its id. Only history is rewritten: calls in the
 * provider's answer carry the provider's own fresh ids, which are what the client sees and sends
 * back next time, so nothing needs mapping back. One instance per encoded request; not
 * thread-safe.
 */
public final class ToolCallIds {
  private static final Pattern ANTHROPIC_ID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern MISTRAL_ID = Pattern.compile("[A-Za-z0-9]{9}");
  private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  /** What a provider accepts as a tool-call id, and how to derive one it accepts. */
  public enum Format {
    /** Anthropic: {@code ^[a-zA-Z0-9_-]+$}, unique in the conversation. */
    ANTHROPIC {
      @Override
      boolean accepts(String id) {
        return id.length() <= 64 && ANTHROPIC_ID.matcher(id).matches();
      }

      @Override
      String derive(String id, int salt) {
        return readablePrefix(id, 40) + "_" + hash(id, salt, 12);
      }
    },
    /** OpenAI and Azure OpenAI: at most 40 characters. */
    OPENAI {
      @Override
      boolean accepts(String id) {
        return id.length() <= 40;
      }

      @Override
      String derive(String id, int salt) {
        return readablePrefix(id, 27) + "_" + hash(id, salt, 12);
      }
    },
    /** Mistral: exactly nine letters and digits. */
    MISTRAL {
      @Override
      boolean accepts(String id) {
        return MISTRAL_ID.matcher(id).matches();
      }

      @Override
      String derive(String id, int salt) {
        return hash(id, salt, 9);
      }
    };

    abstract boolean accepts(String id);

    abstract String derive(String id, int salt);
  }

  private final Format format;
  private final Map<String, String> latest = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  private boolean rewrote;

  public ToolCallIds(Format format) {
    this.format = format;
  }

  /** The id to send for an assistant tool call with id {@code original} (null/empty stays as is). */
  public String call(String original) {
    if (original == null || original.isEmpty()) {
      return original;
    }
    String id = original;
    int salt = 0;
    while (!format.accepts(id) || used.contains(id)) {
      id = format.derive(original, salt++);
    }
    used.add(id);
    latest.put(original, id);
    rewrote |= !id.equals(original);
    return id;
  }

  /** The id to send for a tool result answering {@code original}: the latest such call's. */
  public String result(String original) {
    if (original == null || original.isEmpty()) {
      return original;
    }
    String id = latest.get(original);
    if (id == null) {
      id = format.accepts(original) ? original : format.derive(original, 0); // no call: the provider says so
    }
    rewrote |= !id.equals(original);
    return id;
  }

  /** Whether any id was changed so far. */
  public boolean rewrote() {
    return rewrote;
  }

  /** The original with what {@code [A-Za-z0-9_-]} refuses replaced, at most {@code max} characters. */
  private static String readablePrefix(String id, int max) {
    StringBuilder b = new StringBuilder(Math.min(id.length(), max));
    for (int i = 0; i < id.length() && b.length() < max; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  /** {@code length} base-62 characters of SHA-256(id, salt): stable across runs and JVMs. */
  private static String hash(String id, int salt, int length) {
    byte[] digest;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(id.getBytes(StandardCharsets.UTF_8));
      if (salt > 0) {
        sha.update(("#" + salt).getBytes(StandardCharsets.UTF_8));
      }
      digest = sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(BASE62[(digest[i] & 0xff) % 62]);
    }
    return b.toString();
  }
}
