package dev.sluice.server;

import dev.sluice.core.ApiError;
import dev.sluice.pipeline.ErrorResponses;
import dev.sluice.pipeline.FrontDoor;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * With {@code decompress_requests: true}: inflates a {@code gzip} or {@code deflate} request body
 * (read whole by the body handler, so at most {@code max_body_bytes} compressed) on a worker
 * thread, and stops at {@code max_decompressed_bytes}: a small body that would inflate to gigabytes
 * costs no more than the cap in memory, and gets 413. {@link RequestScreen} has already refused
 * every other encoding. Runs after the body handler, before the request is parsed.
 */
final class RequestInflation implements Handler<RoutingContext> {
  private static final int CHUNK = 64 * 1024;

  private final long maxInflatedBytes;
  private final Function<String, FrontDoor> frontForPath;

  RequestInflation(long maxInflatedBytes, Function<String, FrontDoor> frontForPath) {
    this.maxInflatedBytes = maxInflatedBytes;
    this.frontForPath = frontForPath;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String encoding = ctx.request().getHeader("content-encoding");
    if (encoding == null || encoding.trim().equalsIgnoreCase("identity") || ctx.body().buffer() == null) {
      ctx.next();
      return;
    }
    byte[] compressed = ctx.body().buffer().getBytes();
    String coding = encoding.trim().toLowerCase(Locale.ROOT);
    ctx.vertx().executeBlocking(() -> inflate(compressed, coding, maxInflatedBytes), false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.request().headers().remove("content-encoding");
        ((RoutingContextInternal) ctx).setBody(ar.result());
        ctx.next();
        return;
      }
      ApiError error = ar.cause() instanceof TooLarge
          ? new ApiError(413, "invalid_request_error", "request_too_large", null,
              "The request body inflates to more than " + maxInflatedBytes + " bytes")
          : ApiError.invalidRequest(null, "The request body is not valid " + coding + " data");
      ErrorResponses.write(ctx.response(), frontForPath.apply(ctx.request().path()), error);
    });
  }

  /**
   * Inflates {@code compressed} ({@code gzip}, {@code x-gzip} or {@code deflate}, zlib-wrapped or
   * raw), holding at most {@code max} inflated bytes.
   *
   * @throws TooLarge as soon as the output would pass {@code max}
   * @throws IOException when the data is not valid in that encoding
   */
  static Buffer inflate(byte[] compressed, String coding, long max) throws IOException {
    Inflater inflater = null;
    InputStream in;
    if (coding.equals("deflate")) {
      // HTTP's deflate is zlib-wrapped (RFC 9110), but some clients send raw deflate: accept both.
      inflater = new Inflater(!zlibHeader(compressed));
      in = new InflaterInputStream(new ByteArrayInputStream(compressed), inflater, CHUNK);
    } else {
      in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK);
    }
    try (in) {
      Buffer out = Buffer.buffer((int) Math.min(max, CHUNK));
      byte[] chunk = new byte[CHUNK];
      long total = 0;
      int n;
      while ((n = in.read(chunk)) > 0) {
        total += n;
        if (total > max) {
          throw new TooLarge();
        }
        out.appendBytes(chunk, 0, n);
      }
      return out;
    } finally {
      if (inflater != null) {
        inflater.end(); // its native memory; InflaterInputStream ends only inflaters it made
      }
    }
  }

  private static boolean zlibHeader(byte[] b) {
    return b.length >= 2 && (b[0] & 0x0f) == 8 && ((b[0] & 0xff) << 8 | (b[1] & 0xff)) % 31 == 0;
  }

  /** The body inflates past the cap. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("inflates past the cap", null);
    }
  }
}
