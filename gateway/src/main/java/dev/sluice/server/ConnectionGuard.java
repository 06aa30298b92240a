package dev.sluice.server;

import dev.sluice.config.ClientLimits;
import dev.sluice.core.ApiError;
import dev.sluice.pipeline.FrontDoor;
import dev.sluice.pipeline.RoutingHeaders;
import dev.sluice.upstream.WriteQueueTrim;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in each new client connection (Vert.x's connection handler, on the connection's event
 * loop): refuses it with a 503 when the gateway or its remote address already has as many open
 * connections as allowed, and otherwise fits its pipeline with the client deadlines and the request
 * screen ({@link GuardedRequestDecoder}, {@link ResponseWatch}). One per front verticle; the counts
 * ({@link ConnectionCaps}) are shared by all of them.
 *
 * <p>It reaches the Netty pipeline through Vert.x's {@code ConnectionBase}: Vert.x has no public
 * hook for per-connection read deadlines, and its idle timeout would cut a long stream, whose client
 * sends nothing while it is answered.
 */
final class ConnectionGuard implements Handler<HttpConnection> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final ClientLimits limits;
  private final ConnectionCaps caps;
  private final HttpServerOptions options;
  private final RequestScreen screen;
  private final Function<String, FrontDoor> frontForPath;

  ConnectionGuard(ClientLimits limits, ConnectionCaps caps, HttpServerOptions options, RequestScreen screen,
      Function<String, FrontDoor> frontForPath) {
    this.limits = limits;
    this.caps = caps;
    this.options = options;
    this.screen = screen;
    this.frontForPath = frontForPath;
  }

  @Override
  public void handle(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      LOG.warn("Unexpected connection type {}: client limits not applied", connection.getClass().getName());
      return;
    }
    Channel channel = base.channel();
    String address = channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    ConnectionCaps.Verdict verdict = caps.admit(address);
    if (verdict != ConnectionCaps.Verdict.ADMITTED) {
      refuse(channel, address, verdict);
      return;
    }
    channel.closeFuture().addListener(f -> caps.release(address));
    WriteQueueTrim.trim(connection); // 4 kB less heap per open connection
    ConnectionTimeouts timeouts = new ConnectionTimeouts(channel, limits.headerTimeout(), limits.bodyTimeout(),
        limits.idleTimeout(), this::bodyTimedOut);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.replace("httpDecoder", "httpDecoder", new GuardedRequestDecoder(options, timeouts, screen));
    pipeline.addBefore("handler", "sluiceResponseWatch", new ResponseWatch(timeouts));
    timeouts.opened();
  }

  /**
   * A 503 written straight to the socket, before any request is read (what Vert.x itself does when
   * it stops accepting), then the connection closes.
   */
  private void refuse(Channel channel, String address, ConnectionCaps.Verdict verdict) {
    String message = verdict == ConnectionCaps.Verdict.ADDRESS_FULL
        ? "Too many open connections from " + address + " (the limit is " + caps.maxPerAddress() + ")"
        : "The gateway has too many open connections (the limit is " + caps.max() + ")";
    LOG.debug("Refused a connection from {}: {}", address, message);
    channel.config().setAutoRead(false); // no request on it reaches the router
    Buffer body = OpenAiFrontDoor.INSTANCE.errorBody(ApiError.unavailable(message));
    String head = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n"
        + "connection: close\r\ncontent-length: " + body.length() + "\r\n\r\n";
    ByteBuf bytes = Unpooled.buffer(head.length() + body.length())
        .writeBytes(head.getBytes(StandardCharsets.US_ASCII)).writeBytes(body.getBytes());
    channel.pipeline().firstContext().writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE);
  }

  /** The 408 for a request whose body stalled, in the format of the API it was sent to. */
  private FullHttpResponse bodyTimedOut(HttpRequest request) {
    ApiError error = new ApiError(408, "invalid_request_error", "request_timeout", null,
        "The request body did not arrive within " + limits.bodyTimeout().toMillis() + " ms");
    Buffer body = frontForPath.apply(RequestScreen.path(request.uri())).errorBody(error);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
        Unpooled.wrappedBuffer(body.getBytes()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, "close")
        .set(RoutingHeaders.REQUEST_ID, RequestIds.accept(request.headers().get(RoutingHeaders.REQUEST_ID)));
    return response;
  }
}
