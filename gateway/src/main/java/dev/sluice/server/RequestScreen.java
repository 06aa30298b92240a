package dev.sluice.server;

import dev.sluice.config.ClientLimits;
import dev.sluice.core.ApiError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What a request's head must satisfy before any handler sees it: at most {@code max_headers}
 * header lines, one way of framing the body, and a {@code Content-Encoding} Sluice can undo.
 * The decoder hands every request head here; a refusal reaches the client through
 * {@link InvalidRequests}, and the connection closes after it. Stateless and thread-safe.
 */
final class RequestScreen {
  private final int maxHeaders;
  private final boolean decompress;
  private final Predicate<String> inflatedPath;

  /** @param inflatedPath the paths whose compressed bodies are inflated (when decompression is on) */
  RequestScreen(ClientLimits limits, Predicate<String> inflatedPath) {
    this.maxHeaders = limits.maxHeaders();
    this.decompress = limits.decompressRequests();
    this.inflatedPath = inflatedPath;
  }

  /**
   * The refusal for this request head, or null to let it through.
   *
   * @param lengthConflict the decoder saw {@code Transfer-Encoding: chunked} and {@code Content-Length}
   *     together (it drops the latter, so the head alone no longer shows it)
   */
  ApiError check(HttpRequest request, boolean lengthConflict) {
    HttpHeaders headers = request.headers();
    int lines = lines(headers);
    if (lines > maxHeaders) {
      return new ApiError(431, "invalid_request_error", "request_header_fields_too_large", null,
          "The request has " + lines + " header lines; the limit is " + maxHeaders);
    }
    if (lengthConflict || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
        && headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      // Two ways to frame one body is how requests are smuggled past proxies: refuse, never guess.
      return ApiError.invalidRequest(null,
          "The request has both Transfer-Encoding and Content-Length; send only one of them");
    }
    String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
      return encodingRefusal(encoding.trim().toLowerCase(Locale.ROOT), path(request.uri()));
    }
    return null;
  }

  /** Header lines, repeated names included (Vert.x's {@code size()} counts distinct names). */
  private static int lines(HttpHeaders headers) {
    int n = 0;
    for (var it = headers.iteratorCharSequence(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  private ApiError encodingRefusal(String encoding, String path) {
    boolean known = encoding.equals("gzip") || encoding.equals("x-gzip") || encoding.equals("deflate");
    if (decompress && known && inflatedPath.test(path)) {
      return null;
    }
    String message;
    if (!decompress) {
      message = "Compressed request bodies are not accepted (Content-Encoding: " + encoding + "); send the body uncompressed";
    } else if (!known) {
      message = "Content-Encoding " + encoding + " is not supported; use gzip or deflate, or send the body uncompressed";
    } else {
      message = "Compressed request bodies are accepted on the inference endpoints only";
    }
    return new ApiError(415, "invalid_request_error", "unsupported_media_type", null, message);
  }

  static String path(String uri) {
    int end = uri.length();
    int q = uri.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int h = uri.indexOf('#');
    if (h >= 0 && h < end) {
      end = h;
    }
    return uri.substring(0, end);
  }

  /** A request refused before routing; travels to {@link InvalidRequests} as the decoder's result. */
  static final class Refused extends RuntimeException {
    private final transient ApiError error;

    Refused(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    ApiError error() {
      return error;
    }
  }
}
