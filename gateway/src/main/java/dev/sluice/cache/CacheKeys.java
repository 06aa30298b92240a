package dev.sluice.cache;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatRequest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The cache key of a request: SHA-256 over a version tag, the tenant scope value, the model entry
 * (and its targets' fingerprint, so a changed entry does not serve its old answers), and the
 * canonical request.
 *
 * <p>The canonical request is the OpenAI-shaped request body (every front door's requests are
 * canonical in that shape) without the fields that do not change the answer — {@code model} (the
 * entry is hashed apart), {@code stream}, {@code stream_options}, {@code user}, {@code metadata} —
 * written as JSON with object keys sorted at every depth, no whitespace, and numbers in their
 * shortest exact decimal form ({@code 1}, {@code 1.0} and {@code 1e0} are the same). Everything
 * else counts: messages, tools, tool_choice, response_format, sampling parameters, seed, max tokens,
 * stop, and any other parameter passed on. Stateless; thread-safe.
 */
public final class CacheKeys {
  /** Fields that never change the answer: a streamed request may be served a whole answer and vice versa. */
  static final Set<String> IGNORED = Set.of("model", "stream", "stream_options", "user", "metadata");
  private static final String VERSION = "sluice-response-cache-v1";
  private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

  private CacheKeys() {}

  /** The key as 64 lowercase hex digits. */
  public static String key(ChatRequest request, String entry, String scope) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    // Each part is length-prefixed: no choice of scope and entry names can make two keys collide.
    for (String part : new String[] {VERSION, scope, entry}) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      sha.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
      sha.update(b);
    }
    sha.update(canonical(request).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The canonical JSON of the request's answer-changing fields (see the class comment). */
  public static String canonical(ChatRequest request) {
    ObjectNode body = OpenAiRequestCodec.encode(request.body(), false);
    body.remove(IGNORED);
    StringBuilder out = new StringBuilder(256);
    write(body, out);
    com.fasterxml.jackson.databind.node.ArrayNode beyond = beyondCanonical(request);
    if (beyond != null) {
      out.append('|');
      write(beyond, out);
    }
    return out.toString();
  }

  /** Content blocks the canonical form parses into its own messages; others have no slot there. */
  private static final Set<String> CANONICAL_BLOCKS = Set.of("text", "image", "tool_use", "tool_result");

  /**
   * An Anthropic client's content blocks the canonical form has no slot for (thinking and redacted
   * thinking with their signatures, documents, ...), in order; null when there are none. Such a body
   * goes on to an Anthropic provider as it is, so those blocks are part of the question: two bodies
   * differing only there must not share an answer. Without them, an Anthropic request and its
   * OpenAI-shaped twin share entries across the two front doors.
   */
  private static com.fasterxml.jackson.databind.node.ArrayNode beyondCanonical(ChatRequest request) {
    if (request.anthropic() == null) {
      return null;
    }
    com.fasterxml.jackson.databind.node.ArrayNode out = null;
    for (JsonNode message : request.anthropic().json().path("messages")) {
      for (JsonNode block : message.path("content")) {
        if (block.isObject() && !CANONICAL_BLOCKS.contains(block.path("type").asText())) {
          if (out == null) {
            out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
          }
          out.add(block);
        }
      }
    }
    return out;
  }

  private static void write(JsonNode n, StringBuilder out) {
    if (n.isObject()) {
      List<String> names = new ArrayList<>(n.size());
      n.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        string(names.get(i), out);
        out.append(':');
        write(n.get(names.get(i)), out);
      }
      out.append('}');
    } else if (n.isArray()) {
      out.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(n.get(i), out);
      }
      out.append(']');
    } else if (n.isTextual()) {
      string(n.textValue(), out);
    } else if (n.isNumber()) {
      out.append(number(n));
    } else if (n.isBoolean()) {
      out.append(n.booleanValue());
    } else {
      out.append("null");
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    QUOTE.quoteAsString(s, out);
    out.append('"');
  }

  private static String number(JsonNode n) {
    try {
      BigDecimal d = n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue()) : new BigDecimal(n.asText());
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return n.asText();
    }
  }
}
