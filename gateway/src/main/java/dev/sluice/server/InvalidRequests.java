package dev.sluice.server;

import dev.sluice.config.ClientLimits;
import dev.sluice.core.ApiError;
import dev.sluice.pipeline.ErrorResponses;
import dev.sluice.pipeline.FrontDoor;
import dev.sluice.pipeline.RoutingHeaders;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Function;

/**
 * Answers requests refused before routing, in the API's error format, then closes the connection
 * (what follows on it cannot be trusted to be framed right): a request line over
 * {@code max_request_line_bytes} (414), headers over {@code max_header_bytes} or
 * {@code max_headers} (431), anything {@link RequestScreen} refused, and requests Netty could not
 * parse (400). Vert.x calls it, as its invalid-request handler, on the connection's event loop.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  private final ClientLimits limits;
  private final Function<String, FrontDoor> frontForPath;

  InvalidRequests(ClientLimits limits, Function<String, FrontDoor> frontForPath) {
    this.limits = limits;
    this.frontForPath = frontForPath;
  }

  @Override
  public void handle(HttpServerRequest request) {
    ApiError error = error(request.decoderResult().cause());
    String path = "/";
    try {
      path = request.path();
    } catch (RuntimeException e) {
      // an unparseable URI: answer in the default format
    }
    request.response().putHeader("connection", "close")
        .putHeader(RoutingHeaders.REQUEST_ID, RequestIds.accept(request.getHeader(RoutingHeaders.REQUEST_ID)));
    ErrorResponses.write(request.response(), frontForPath.apply(path == null ? "/" : path), error);
    request.connection().close();
  }

  ApiError error(Throwable cause) {
    if (cause instanceof RequestScreen.Refused r) {
      return r.error();
    }
    if (cause instanceof TooLongHttpLineException) {
      // Netty's first line too long: the request line (URI and all), since no header was read yet.
      return new ApiError(414, "invalid_request_error", "uri_too_long", null,
          "The request line is longer than " + limits.maxRequestLineBytes() + " bytes");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new ApiError(431, "invalid_request_error", "request_header_fields_too_large", null,
          "The request headers are larger than " + limits.maxHeaderBytes() + " bytes");
    }
    return ApiError.invalidRequest(null, "Malformed HTTP request");
  }
}
