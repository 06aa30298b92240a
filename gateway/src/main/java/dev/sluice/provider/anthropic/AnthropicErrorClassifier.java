package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.UpstreamError;
import dev.sluice.provider.RetryAfter;
import dev.sluice.provider.SafeText;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * Classifies Anthropic error answers, shaped {@code {"type":"error","error":{"type","message"}}}.
 * The error type decides where the status alone is ambiguous (an overloaded_error may come as 529
 * or 5xx). Credential and billing failures never pass the provider's text on.
 */
final class AnthropicErrorClassifier {
  private AnthropicErrorClassifier() {}

  static UpstreamError classify(int status, MultiMap headers, Buffer body) {
    String type = "";
    String message = "";
    try {
      JsonNode err = Json.parse(body).path("error");
      type = err.path("type").asText("");
      message = err.path("message").asText("");
    } catch (Exception notJson) {
      message = body.length() > 200 ? "" : body.toString();
    }
    String lower = message.toLowerCase(Locale.ROOT);
    ErrorClass cls = classOf(status, type, lower);
    String safe = cls == ErrorClass.AUTH
        ? "the provider rejected the gateway's credentials or billing (status " + status + ")"
        : SafeText.scrub(message.isEmpty() ? "status " + status : message);
    return new UpstreamError(cls, status, safe, RetryAfter.parse(headers));
  }

  private static ErrorClass classOf(int status, String type, String lowerMessage) {
    if (status == 401 || status == 403 || type.equals("authentication_error") || type.equals("permission_error")
        || type.equals("billing_error") || lowerMessage.contains("credit balance")) {
      return ErrorClass.AUTH;
    }
    if (status == 429 || type.equals("rate_limit_error")) {
      return ErrorClass.RATE_LIMITED;
    }
    if (status == 529 || type.equals("overloaded_error")) {
      return ErrorClass.OVERLOADED;
    }
    if (status == 404 || type.equals("not_found_error")) {
      return ErrorClass.NOT_FOUND;
    }
    if (status == 413 || type.equals("request_too_large")) {
      return ErrorClass.BAD_REQUEST;
    }
    if (status >= 500) {
      return ErrorClass.SERVER_ERROR;
    }
    if (lowerMessage.contains("prompt is too long") || lowerMessage.contains("exceed context limit")
        || lowerMessage.contains("context window") || lowerMessage.contains("context length")) {
      return ErrorClass.CONTEXT_LENGTH_EXCEEDED;
    }
    return ErrorClass.BAD_REQUEST;
  }
}
