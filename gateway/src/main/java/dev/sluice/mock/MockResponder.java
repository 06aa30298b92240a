package dev.sluice.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * One provider wire format (OpenAI, Anthropic or Gemini): which endpoints it serves, how it answers
 * them, and what its errors look like. Implementations are stateless apart from id counters and are
 * only called on the server's event loop.
 */
interface MockResponder {

  /** Whether {@code method} on {@code path} (fault prefix already stripped) is a known endpoint. */
  boolean handles(HttpMethod method, String path);

  /**
   * Answers a request that passed fault injection and authentication.
   *
   * @param exchange the request/response pair
   * @param body the parsed JSON object body, or an empty object for body-less requests (GET)
   * @throws IllegalArgumentException if the body is semantically invalid; the caller turns it into
   *     a 400 in this format's error shape
   */
  void respond(MockExchange exchange, ObjectNode body);

  /** The error body this provider sends with {@code status}. */
  ObjectNode errorBody(int status, String message);

  /**
   * Adds provider-specific headers to an error response (e.g. rate-limit headers on a 429). The
   * generic {@code Retry-After} is already handled by the caller.
   */
  default void addErrorHeaders(int status, FaultSpec spec, MultiMap headers) {}
}
