package dev.sluice.core;

import java.time.Duration;

/**
 * A classified upstream failure: a value, not an exception, so policies can decide on it.
 *
 * @param status the upstream HTTP status, or 0 when no response came (timeout, connection)
 * @param message a message safe to pass to the client (the provider's own text where it is safe)
 * @param retryAfter how long the upstream asked us to wait; null when it did not say
 */
public record UpstreamError(ErrorClass errorClass, int status, String message, Duration retryAfter) {

  public static UpstreamError of(ErrorClass c, int status, String message) {
    return new UpstreamError(c, status, message, null);
  }

  /** The error as the client sees it, naming the provider that failed. */
  public ApiError toApiError(String provider) {
    ApiError api = toApiError();
    return new ApiError(api.status(), api.type(), api.code(), api.param(),
        "Provider '" + provider + "' failed: " + message);
  }

  /** The error as the client sees it. */
  public ApiError toApiError() {
    return switch (errorClass) {
      case RATE_LIMITED -> new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, message);
      case OVERLOADED -> new ApiError(503, "server_error", "upstream_overloaded", null, message);
      case TIMEOUT -> new ApiError(504, "timeout_error", "upstream_timeout", null, message);
      case CONNECTION, SERVER_ERROR, AUTH -> new ApiError(502, "upstream_error", errorClass.wireName(), null, message);
      case CONTEXT_LENGTH_EXCEEDED -> new ApiError(400, "invalid_request_error", "context_length_exceeded", "messages", message);
      case CONTENT_FILTER -> new ApiError(400, "invalid_request_error", "content_filter", null, message);
      case NOT_FOUND -> new ApiError(404, "invalid_request_error", "model_not_found", "model", message);
      case BAD_REQUEST -> new ApiError(status >= 400 && status < 500 ? status : 400, "invalid_request_error",
          "upstream_bad_request", null, message);
    };
  }
}
