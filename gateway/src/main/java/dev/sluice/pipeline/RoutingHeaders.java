package dev.sluice.pipeline;

import io.vertx.core.http.HttpHeaders;

/**
 * Names of the headers Sluice reads from every request and adds to every answer, pre-encoded once ({@link HttpHeaders#createOptimized}
 * gives an {@code AsciiString} with its hash computed): Vert.x otherwise converts and hashes a
 * {@code String} name on every {@code putHeader}, several times per request.
 */
public final class RoutingHeaders {
  public static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  public static final CharSequence AUTHORIZATION = HttpHeaders.AUTHORIZATION;
  public static final CharSequence X_API_KEY = HttpHeaders.createOptimized("x-api-key");
  static final CharSequence PROVIDER = HttpHeaders.createOptimized("x-sluice-provider");
  static final CharSequence MODEL = HttpHeaders.createOptimized("x-sluice-model");
  static final CharSequence ATTEMPTS = HttpHeaders.createOptimized("x-sluice-attempts");
  static final CharSequence COST = HttpHeaders.createOptimized("x-sluice-cost-usd");
  static final CharSequence KEY_SPEND = HttpHeaders.createOptimized("x-sluice-key-spend");
  static final CharSequence OVERHEAD = HttpHeaders.createOptimized("x-sluice-overhead-ms");
  static final CharSequence CONTENT_TYPE = HttpHeaders.CONTENT_TYPE;
  static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

  private RoutingHeaders() {}
}
