package dev.sluice.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * Tells {@link ConnectionTimeouts} when an answer starts and ends (interim 1xx answers do not
 * count), and drops what Vert.x writes after a deadline closed the connection. Sits just before
 * Vert.x's connection handler, so it sees the answers as HTTP objects.
 */
final class ResponseWatch extends ChannelOutboundHandlerAdapter {
  private final ConnectionTimeouts timeouts;

  ResponseWatch(ConnectionTimeouts timeouts) {
    this.timeouts = timeouts;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeouts.writeFrom(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (timeouts.closing()) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    if (msg instanceof HttpResponse head) {
      if (head.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        ctx.write(msg, promise); // 100 Continue, 103 Early Hints: the answer is still to come
        return;
      }
      timeouts.answerStarted();
    }
    boolean ends = msg instanceof LastHttpContent;
    ctx.write(msg, promise);
    if (ends) {
      timeouts.answerEnded();
    }
  }
}
