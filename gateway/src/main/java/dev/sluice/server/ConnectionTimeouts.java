package dev.sluice.server;

import dev.sluice.core.LoopDeadlines;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines one client connection must meet with its own sending. Confined to the channel's
 * event loop: the decoder, the response watch and the timer all call in from there.
 *
 * <ul>
 *   <li>headers ({@code header_timeout}): from the connection's opening, or from the first byte of
 *       a later request, to the end of that request's headers. A client trickling a byte now and
 *       then is cut all the same.
 *   <li>body ({@code body_timeout}): from the end of the headers to the end of the body. If nothing
 *       of the answer has been sent yet, the client gets a 408 in its API's error format first.
 *   <li>idle ({@code idle_timeout}): from the end of the last answer while nothing new arrives.
 * </ul>
 *
 * <p>Nothing runs out while the gateway owes an answer to a request the client sent whole: a slow
 * provider or a stream lasting minutes is never cut here. Time in which the gateway itself stopped
 * reading (backpressure) does not count against the client. At most one timer per connection, on
 * the loop's deadline wheel: a phase change to a later limit moves the deadline and the timer, when
 * it fires, re-arms for the rest; one to an earlier limit replaces the timer.
 */
final class ConnectionTimeouts {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);
  private static final long NONE = Long.MAX_VALUE;

  private enum Phase { HEADERS, BODY, BETWEEN_REQUESTS }

  private final Channel channel;
  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final Function<HttpRequest, FullHttpResponse> timeoutAnswer;
  private ChannelHandlerContext writer;
  private Phase phase = Phase.HEADERS;
  /** Requests whose headers arrived, minus answers that ended. */
  private int owed;
  /** An answer's head is out and its end is not. */
  private boolean answering;
  private HttpRequest reading;
  private long deadline = NONE;
  private LoopDeadlines.Deadline timer;
  private final Runnable onTimer = this::expire;
  private boolean closing;

  /**
   * @param timeoutAnswer the 408 for a request whose body stalled, in its API's format
   */
  ConnectionTimeouts(Channel channel, Duration header, Duration body, Duration idle,
      Function<HttpRequest, FullHttpResponse> timeoutAnswer) {
    this.channel = channel;
    this.headerNanos = header.toNanos();
    this.bodyNanos = body.toNanos();
    this.idleNanos = idle.toNanos();
    this.timeoutAnswer = timeoutAnswer;
    channel.closeFuture().addListener(f -> {
      closing = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    });
  }

  /** Where a 408 is written from: the context of the handler that watches answers go out. */
  void writeFrom(ChannelHandlerContext ctx) {
    this.writer = ctx;
  }

  /** The connection is open: its first request's headers are due. */
  void opened() {
    enter(Phase.HEADERS, headerNanos);
  }

  /** Bytes arrived; between requests they start the next request's headers. */
  void bytesArrived() {
    if (phase == Phase.BETWEEN_REQUESTS) {
      enter(Phase.HEADERS, headerNanos);
    }
  }

  void headersEnded(HttpRequest request) {
    owed++;
    reading = request;
    enter(Phase.BODY, bodyNanos);
  }

  void bodyEnded() {
    reading = null;
    phase = Phase.BETWEEN_REQUESTS;
    deadline = owed == 0 ? System.nanoTime() + idleNanos : NONE;
    arm();
  }

  void answerStarted() {
    answering = true;
  }

  void answerEnded() {
    answering = false;
    if (owed > 0) {
      owed--;
    }
    if (phase == Phase.BETWEEN_REQUESTS && owed == 0) {
      deadline = System.nanoTime() + idleNanos;
      arm();
    }
  }

  /** True once a deadline closed (or is closing) the connection: nothing more may be written. */
  boolean closing() {
    return closing;
  }

  private void enter(Phase next, long nanos) {
    phase = next;
    deadline = System.nanoTime() + nanos;
    arm();
  }

  /**
   * A pending timer due no later than the deadline stays: it re-arms for the rest when it fires. One
   * due later (the 60 s idle limit when the next request's first byte starts its 10 s header limit)
   * is replaced, so the earlier limit holds. Both are O(1) on the loop's deadline wheel.
   */
  private void arm() {
    if (deadline == NONE || closing) {
      return;
    }
    if (timer != null) {
      if (timer.due() - deadline <= 0) {
        return;
      }
      timer.cancel();
    }
    timer = LoopDeadlines.of(channel.eventLoop()).at(deadline, onTimer);
  }

  private void expire() {
    timer = null;
    if (closing || deadline == NONE) {
      return;
    }
    long now = System.nanoTime();
    if (now - deadline < 0) {
      arm(); // the deadline moved since this timer was set
      return;
    }
    if (phase != Phase.BETWEEN_REQUESTS && !channel.config().isAutoRead()) {
      // The gateway stopped reading (its queue is full): the client is not the one stalling.
      deadline = now + (phase == Phase.HEADERS ? headerNanos : bodyNanos);
      arm();
      return;
    }
    closing = true;
    LOG.debug("Closing the connection from {}: {} timeout", channel.remoteAddress(), phase);
    if (phase == Phase.BODY && !answering && owed == 1 && writer != null && reading != null) {
      writer.writeAndFlush(timeoutAnswer.apply(reading)).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }
}
