package dev.sluice.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The headers of an upstream request with a JSON body, as every adapter sends them. Names and values
 * are pre-hashed ({@code AsciiString}): a header map hashes a {@code String} name on every add, once
 * per upstream request (bench/results/throughput.md, twenty-third pass; bench/throughput/HeaderNameCost.java).
 */
public final class JsonHeaders {
  public static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  public static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

  private JsonHeaders() {}

  /** {@code content-type: application/json}, accepting an SSE stream or a JSON answer. */
  public static MultiMap request(boolean stream) {
    return request(stream ? EVENT_STREAM : APPLICATION_JSON);
  }

  /** {@code content-type: application/json}, accepting {@code accept}; a new map the caller may add to. */
  public static MultiMap request(CharSequence accept) {
    return MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
        .add(HttpHeaders.ACCEPT, accept);
  }
}
