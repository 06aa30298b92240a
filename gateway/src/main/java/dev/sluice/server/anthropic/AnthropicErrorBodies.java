package dev.sluice.server.anthropic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ApiError;

/** Canonical errors in Anthropic's shape: {@code {"type":"error","error":{"type","message"}}}. */
final class AnthropicErrorBodies {
  private AnthropicErrorBodies() {}

  /** Anthropic's error type for the error's HTTP status. */
  static String type(ApiError error) {
    int status = error.status();
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error"; // as Anthropic does for other 4xx
    };
  }

  static ObjectNode body(ApiError error) {
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("type", "error");
    o.putObject("error").put("type", type(error)).put("message", error.message() == null ? "" : error.message());
    return o;
  }
}
