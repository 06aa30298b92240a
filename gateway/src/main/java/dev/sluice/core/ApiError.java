package dev.sluice.core;

/**
 * An error as the client will see it, independent of the front door's wire format: the HTTP
 * status, OpenAI-style type and code, the offending parameter, and a message that is safe to show
 * (never a provider key or an internal address).
 */
public record ApiError(int status, String type, String code, String param, String message) {

  public static ApiError invalidRequest(String param, String message) {
    return new ApiError(400, "invalid_request_error", "invalid_request", param, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "authentication_error", "invalid_api_key", null, message);
  }

  public static ApiError modelNotFound(String model) {
    return new ApiError(404, "invalid_request_error", "model_not_found", "model",
        "The model '" + model + "' does not exist or is not configured on this gateway");
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "invalid_request_error", "not_found", null, message);
  }

  public static ApiError bodyTooLarge(long limit) {
    return new ApiError(413, "invalid_request_error", "request_too_large", null,
        "The request body exceeds the limit of " + limit + " bytes");
  }

  public static ApiError internal(String message) {
    return new ApiError(500, "server_error", "internal_error", null, message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "server_error", "service_unavailable", null, message);
  }
}
