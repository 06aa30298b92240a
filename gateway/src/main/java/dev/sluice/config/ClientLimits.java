package dev.sluice.config;

import java.time.Duration;

/**
 * What one client connection may cost the gateway: how long it may take to send its headers and
 * body, how long an idle keep-alive connection stays open, how many connections there may be, and
 * how large and deep what it sends may be. Every field has a default; each is a {@code server:}
 * key of the same name in snake case.
 *
 * @param headerTimeout from the connection's opening (on a keep-alive connection: from the next
 *     request's first byte) to the end of the request headers; a client that stalls inside its
 *     headers is disconnected
 * @param idleTimeout a keep-alive connection with no request in flight (from the end of the
 *     previous response) is closed after this long
 * @param bodyTimeout from the end of the headers to the end of the body
 * @param maxConnections open client connections across the gateway; more are closed on accept
 * @param maxConnectionsPerIp open client connections from one remote address
 * @param maxHeaderBytes all request headers together (431 above it)
 * @param maxHeaders number of request header lines (431 above it)
 * @param maxRequestLineBytes the request line (414 above it)
 * @param maxJsonDepth nesting of objects and arrays in a JSON body (400 above it)
 * @param maxJsonNumberLength digits in one JSON number (400 above it)
 * @param maxJsonStringBytes one JSON string, e.g. a base64 image (400 above it)
 * @param decompressRequests accept {@code Content-Encoding: gzip/deflate} request bodies (refused
 *     with 415 otherwise)
 * @param maxDecompressedBytes a compressed body may inflate to at most this (413 above it)
 */
public record ClientLimits(Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout, int maxConnections,
    int maxConnectionsPerIp, int maxHeaderBytes, int maxHeaders, int maxRequestLineBytes, int maxJsonDepth,
    int maxJsonNumberLength, int maxJsonStringBytes, boolean decompressRequests, long maxDecompressedBytes) {

  public static final ClientLimits DEFAULTS = new ClientLimits(Duration.ofSeconds(10), Duration.ofSeconds(60),
      Duration.ofSeconds(30), 10_000, 1_000, 16 * 1024, 100, 8 * 1024, 64, 100, 10 * 1024 * 1024, false,
      10L * 1024 * 1024);
}
