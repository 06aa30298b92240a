package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.UpstreamError;
import dev.sluice.provider.RetryAfter;
import dev.sluice.provider.SafeText;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/** Classifies OpenAI-family error answers (OpenAI, DeepSeek, vLLM, Ollama and other compatibles). */
final class OpenAiErrors {
  private OpenAiErrors() {}

  static UpstreamError classify(int status, MultiMap headers, Buffer body) {
    String message = "";
    String code = "";
    String type = "";
    try {
      JsonNode root = Json.parse(body);
      JsonNode err = root.path("error");
      if (err.isObject()) {
        message = err.path("message").asText("");
        code = err.path("code").asText("");
        type = err.path("type").asText("");
      } else if (err.isTextual()) {
        message = err.asText();
      } else if (root.path("message").isTextual()) {
        message = root.path("message").asText();
      }
    } catch (Exception notJson) {
      message = body.length() > 200 ? "" : body.toString();
    }
    String lower = (message + " " + code + " " + type).toLowerCase(Locale.ROOT);
    ErrorClass cls = switch (status) {
      case 401, 403 -> ErrorClass.AUTH;
      case 404 -> ErrorClass.NOT_FOUND;
      case 408 -> ErrorClass.TIMEOUT;
      case 429 -> lower.contains("insufficient_quota") ? ErrorClass.AUTH : ErrorClass.RATE_LIMITED;
      case 503, 529 -> ErrorClass.OVERLOADED;
      default -> {
        if (status >= 500) {
          yield ErrorClass.SERVER_ERROR;
        }
        if (lower.contains("context_length") || lower.contains("maximum context length")
            || lower.contains("context window")) {
          yield ErrorClass.CONTEXT_LENGTH_EXCEEDED;
        }
        if (lower.contains("content_filter") || lower.contains("content_policy")) {
          yield ErrorClass.CONTENT_FILTER;
        }
        yield ErrorClass.BAD_REQUEST;
      }
    };
    // The provider's text on a key failure quotes (part of) our key: never pass it on.
    String safe = cls == ErrorClass.AUTH
        ? "the provider rejected the gateway's credentials or quota (status " + status + ")"
        : SafeText.scrub(message.isEmpty() ? "status " + status : message);
    return new UpstreamError(cls, status, safe, RetryAfter.parse(headers));
  }
}
