package dev.sluice.cache;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import io.vertx.core.buffer.Buffer;

/**
 * What may be cached. A request is when it samples deterministically — {@code temperature} set to 0
 * — or when its entry says {@code nondeterministic: true}. An unset temperature counts as above 0:
 * the providers' default is 1 (OpenAI, Anthropic, Gemini), so two calls may well answer differently.
 * An answer is when it finished normally: no finish reason {@code content_filter} or
 * {@code refusal}, and no {@code refusal} text. Stateless.
 */
public final class Cacheability {
  private Cacheability() {}

  public static boolean requestCacheable(ChatRequest request, CachePolicy policy) {
    if (request.nativeResponses()) {
      return false; // OpenAI's stored state and built-in tools: the answer depends on more than the request
    }
    if (policy.nondeterministic()) {
      return true;
    }
    Double t = request.body().temperature();
    return t != null && t == 0.0;
  }

  /** Whether a whole answer may be stored: it was not filtered or refused. */
  public static boolean answerCacheable(ChatResponse response) {
    if (response == null || response.body() == null || response.body().choices().isEmpty()) {
      return false;
    }
    for (ChatCompletion.Choice c : response.body().choices()) {
      if (refusedFinish(c.finishReason())) {
        return false;
      }
    }
    return response.openAiJson() == null || !hasRefusal(response.openAiJson());
  }

  static boolean refusedFinish(String finishReason) {
    return "content_filter".equals(finishReason) || "refusal".equals(finishReason);
  }

  /**
   * Whether OpenAI JSON carries a {@code "refusal"} field with a non-empty string value. A plain byte
   * scan: inside a JSON string a quote is escaped, so {@code "refusal"} followed by {@code :} can only
   * be a field name.
   */
  static boolean hasRefusal(Buffer json) {
    byte[] b = json.getBytes();
    byte[] name = {'"', 'r', 'e', 'f', 'u', 's', 'a', 'l', '"'};
    outer:
    for (int i = 0; i + name.length < b.length; i++) {
      for (int j = 0; j < name.length; j++) {
        if (b[i + j] != name[j]) {
          continue outer;
        }
      }
      int k = skipSpace(b, i + name.length);
      if (k >= b.length || b[k] != ':') {
        continue;
      }
      k = skipSpace(b, k + 1);
      if (k + 1 < b.length && b[k] == '"' && b[k + 1] != '"') {
        return true;
      }
    }
    return false;
  }

  private static int skipSpace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }
}
