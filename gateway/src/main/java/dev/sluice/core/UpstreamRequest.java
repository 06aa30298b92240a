package dev.sluice.core;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * An encoded upstream call: what a provider adapter produces and the upstream client sends.
 *
 * @param path appended to the provider's base URL (may carry a query string)
 * @param headers provider headers except authentication, which the upstream client signs
 * @param stream whether the response is an event stream
 */
public record UpstreamRequest(HttpMethod method, String path, MultiMap headers, Buffer body, boolean stream) {}
