package dev.sluice.server;

import dev.sluice.core.ApiError;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's request decoder, telling {@link ConnectionTimeouts} when a request's bytes start, its
 * headers end and its body ends, and putting every request head through the {@link RequestScreen}.
 * A refused head is passed on marked as failed to decode, which Vert.x hands to its invalid-request
 * handler ({@link InvalidRequests}) instead of the router.
 *
 * <p>It replaces Vert.x's decoder because only the decoder sees a request carrying both
 * {@code Transfer-Encoding: chunked} and {@code Content-Length}: Netty drops the latter and reads
 * the body as chunked, which is how requests are smuggled past a proxy that reads it the other way.
 */
final class GuardedRequestDecoder extends VertxHttpRequestDecoder {
  private final ConnectionTimeouts timeouts;
  private final RequestScreen screen;
  private boolean lengthConflict;

  GuardedRequestDecoder(HttpServerOptions options, ConnectionTimeouts timeouts, RequestScreen screen) {
    super(options);
    this.timeouts = timeouts;
    this.screen = screen;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    if (buffer.isReadable()) {
      timeouts.bytesArrived();
    }
    int from = out.size();
    super.decode(ctx, buffer, out);
    for (int i = from; i < out.size(); i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpRequest request) {
        screen(request);
        timeouts.headersEnded(request);
      }
      if (msg instanceof LastHttpContent) {
        timeouts.bodyEnded();
      }
    }
  }

  private void screen(HttpRequest request) {
    boolean conflict = lengthConflict;
    lengthConflict = false;
    if (request.decoderResult().isFailure()) {
      return; // Netty's own refusal (line or headers too long, malformed): Vert.x answers it
    }
    ApiError refusal = screen.check(request, conflict);
    if (refusal != null) {
      request.setDecoderResult(DecoderResult.failure(new RequestScreen.Refused(refusal)));
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    lengthConflict = true;
    super.handleTransferEncodingChunkedWithContentLength(message);
  }
}
