package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ApiError;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.UpstreamError;
import dev.sluice.provider.RetryAfter;
import dev.sluice.provider.SafeText;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * Classifies Bedrock errors. An HTTP error names its exception in the {@code x-amzn-ErrorType}
 * header ({@code ThrottlingException:http://…}) or, from some front ends, in the body's
 * {@code __type}; its text is the body's {@code message}. The exception decides, the status is the
 * fallback. Credential failures never pass the provider's text on.
 */
final class BedrockErrors {
  private BedrockErrors() {}

  static UpstreamError classify(int status, MultiMap headers, Buffer body) {
    String message = "";
    String type = exceptionName(headers.get("x-amzn-errortype"));
    try {
      JsonNode root = Json.parse(body);
      message = root.path("message").asText(root.path("Message").asText(""));
      if (type.isEmpty()) {
        type = exceptionName(root.path("__type").asText(""));
      }
    } catch (Exception notJson) {
      message = body.length() > 200 ? "" : body.toString();
    }
    return error(status, type, message, RetryAfter.parse(headers));
  }

  /** An exception message of a ConverseStream ({@code :exception-type} in camel case, e.g. throttlingException). */
  static UpstreamError streamException(String exceptionType, byte[] payload) {
    String message = "";
    try {
      message = Json.MAPPER.readTree(payload).path("message").asText("");
    } catch (Exception notJson) {
      // the type alone decides
    }
    return error(0, exceptionType == null ? "" : exceptionType, message, null);
  }

  /** What a client's stream ends with when the provider reports {@code e} mid-stream. */
  static ApiError streamFailure(UpstreamError e) {
    String message = "the provider reported an error mid-stream: " + e.message();
    return switch (e.errorClass()) {
      case RATE_LIMITED -> new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, message);
      case OVERLOADED -> new ApiError(503, "server_error", "upstream_overloaded", null, message);
      case CONTENT_FILTER -> e.toApiError();
      default -> new ApiError(502, "upstream_error", "stream_error", null, message);
    };
  }

  private static UpstreamError error(int status, String type, String message, java.time.Duration retryAfter) {
    String t = type.toLowerCase(Locale.ROOT);
    ErrorClass cls = classOf(status, t, message.toLowerCase(Locale.ROOT));
    String safe = cls == ErrorClass.AUTH
        ? "the provider rejected the gateway's AWS credentials or their permissions (" + (type.isEmpty()
            ? "status " + status : type) + ")"
        : SafeText.scrub(message.isEmpty() ? (type.isEmpty() ? "status " + status : type) : message);
    return new UpstreamError(cls, status, safe, retryAfter);
  }

  private static ErrorClass classOf(int status, String type, String lowerMessage) {
    switch (type) {
      case "accessdeniedexception", "unrecognizedclientexception", "invalidsignatureexception",
          "incompletesignatureexception", "expiredtokenexception", "missingauthenticationtokenexception" -> {
        return ErrorClass.AUTH;
      }
      case "throttlingexception", "servicequotaexceededexception" -> {
        return ErrorClass.RATE_LIMITED;
      }
      case "modelnotreadyexception", "serviceunavailableexception" -> {
        return ErrorClass.OVERLOADED;
      }
      case "modeltimeoutexception" -> {
        return ErrorClass.TIMEOUT;
      }
      case "resourcenotfoundexception" -> {
        return ErrorClass.NOT_FOUND;
      }
      case "validationexception" -> {
        return tooLong(lowerMessage) ? ErrorClass.CONTEXT_LENGTH_EXCEEDED : ErrorClass.BAD_REQUEST;
      }
      case "internalserverexception", "modelerrorexception", "modelstreamerrorexception" -> {
        return ErrorClass.SERVER_ERROR;
      }
      default -> { }
    }
    if (status == 401 || status == 403) {
      return ErrorClass.AUTH;
    }
    if (status == 429) {
      return ErrorClass.RATE_LIMITED;
    }
    if (status == 503) {
      return ErrorClass.OVERLOADED;
    }
    if (status == 408 || status == 504) {
      return ErrorClass.TIMEOUT;
    }
    if (status == 404) {
      return ErrorClass.NOT_FOUND;
    }
    if (status >= 500 || status == 424 || status == 0) {
      return ErrorClass.SERVER_ERROR;
    }
    return tooLong(lowerMessage) ? ErrorClass.CONTEXT_LENGTH_EXCEEDED : ErrorClass.BAD_REQUEST;
  }

  /** Bedrock's and its models' ways of saying the prompt does not fit. */
  private static boolean tooLong(String m) {
    return m.contains("input is too long") || m.contains("too many input tokens") || m.contains("prompt is too long")
        || m.contains("context window") || m.contains("context length") || m.contains("maximum context")
        || m.contains("input length") && m.contains("exceed");
  }

  /** {@code ThrottlingException:http://internal…} or {@code com.amazon…#ThrottlingException} → ThrottlingException. */
  private static String exceptionName(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    String s = raw;
    int colon = s.indexOf(':');
    if (colon >= 0) {
      s = s.substring(0, colon);
    }
    int hash = s.lastIndexOf('#');
    return hash >= 0 ? s.substring(hash + 1) : s;
  }
}
