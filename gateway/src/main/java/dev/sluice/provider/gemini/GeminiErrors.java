package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ApiError;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.UpstreamError;
import dev.sluice.provider.RetryAfter;
import dev.sluice.provider.SafeText;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Locale;

/**
 * Classifies Google's error shape {@code {"error":{"code","message","status","details"}}}, both as a
 * non-2xx answer and as an {@code error} event inside a stream. On credential failures the
 * provider's text is never passed on: Google echoes the key it was given.
 */
final class GeminiErrors {
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  private GeminiErrors() {}

  static UpstreamError classify(int status, MultiMap headers, Buffer body) {
    JsonNode error = null;
    String raw = "";
    try {
      JsonNode root = Json.parse(body);
      // streamGenerateContent without alt=sse answers errors inside a JSON array
      if (root != null && root.isArray() && !root.isEmpty()) {
        root = root.get(0);
      }
      if (root != null && root.path("error").isObject()) {
        error = root.get("error");
      }
    } catch (Exception notJson) {
      raw = body.length() > 200 ? "" : body.toString();
    }
    return classify(status, headers, error, raw);
  }

  /** An {@code error} object from inside a stream, whose HTTP status was 200. */
  static UpstreamError classifyStreamError(JsonNode error) {
    int code = error.path("code").asInt(0);
    return classify(code > 0 ? code : 500, NO_HEADERS, error.isObject() ? error : null,
        error.isTextual() ? error.textValue() : "");
  }

  /** A mid-stream error as the client sees it: 429 and 503 keep their meaning, the rest is a 502. */
  static ApiError streamFailure(JsonNode error) {
    UpstreamError e = classifyStreamError(error);
    String message = "the provider reported an error mid-stream: " + e.message();
    return switch (e.errorClass()) {
      case RATE_LIMITED -> new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, message);
      case OVERLOADED -> new ApiError(503, "server_error", "upstream_overloaded", null, message);
      default -> new ApiError(502, "upstream_error", "stream_error", null, message);
    };
  }

  private static UpstreamError classify(int status, MultiMap headers, JsonNode error, String raw) {
    String message = error == null ? raw : error.path("message").asText("");
    String grpcStatus = error == null ? "" : error.path("status").asText("");
    String lower = message.toLowerCase(Locale.ROOT);
    ErrorClass cls;
    if (status == 401 || status == 403 || grpcStatus.equals("UNAUTHENTICATED")
        || grpcStatus.equals("PERMISSION_DENIED") || lower.contains("api key not valid")
        || hasReason(error, "API_KEY_INVALID")) {
      cls = ErrorClass.AUTH;
    } else if (status == 429 || grpcStatus.equals("RESOURCE_EXHAUSTED")) {
      cls = ErrorClass.RATE_LIMITED;
    } else if (status == 503 || grpcStatus.equals("UNAVAILABLE")) {
      cls = ErrorClass.OVERLOADED;
    } else if (status == 404 || grpcStatus.equals("NOT_FOUND")) {
      cls = ErrorClass.NOT_FOUND;
    } else if (status == 408 || status == 504 || grpcStatus.equals("DEADLINE_EXCEEDED")) {
      cls = ErrorClass.TIMEOUT;
    } else if (status >= 500) {
      cls = ErrorClass.SERVER_ERROR;
    } else if (lower.contains("token count") || lower.contains("exceeds the maximum number of tokens")) {
      cls = ErrorClass.CONTEXT_LENGTH_EXCEEDED;
    } else {
      cls = ErrorClass.BAD_REQUEST;
    }
    String safe = cls == ErrorClass.AUTH
        ? "the provider rejected the gateway's credentials (status " + status + ")"
        : SafeText.scrub(message.isEmpty() ? "status " + status : message);
    Duration wait = cls == ErrorClass.RATE_LIMITED || cls == ErrorClass.OVERLOADED ? retryAfter(headers, error) : null;
    return new UpstreamError(cls, status, safe, wait);
  }

  /** The Retry-After headers, else Google's {@code google.rpc.RetryInfo} detail ({@code "retryDelay": "2.5s"}). */
  private static Duration retryAfter(MultiMap headers, JsonNode error) {
    Duration fromHeaders = RetryAfter.parse(headers);
    if (fromHeaders != null || error == null) {
      return fromHeaders;
    }
    for (JsonNode detail : error.path("details")) {
      JsonNode delay = detail.get("retryDelay");
      if (delay != null && delay.isTextual()) {
        Duration d = protoDuration(delay.textValue());
        if (d != null) {
          return RetryAfter.bounded(d);
        }
      }
    }
    return null;
  }

  /** A protobuf JSON duration: decimal seconds with an {@code s} suffix ("2s", "0.5s", "13.247s"). */
  static Duration protoDuration(String text) {
    String s = text.trim();
    if (!s.endsWith("s")) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(s.substring(0, s.length() - 1));
      return seconds < 0 ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean hasReason(JsonNode error, String reason) {
    if (error == null) {
      return false;
    }
    for (JsonNode detail : error.path("details")) {
      if (reason.equals(detail.path("reason").asText())) {
        return true;
      }
    }
    return false;
  }
}
