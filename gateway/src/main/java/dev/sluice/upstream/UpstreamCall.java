package dev.sluice.upstream;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.Ticker;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamTimeouts;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * One upstream HTTP exchange with its deadlines: first token (first body slice), idle between
 * body slices, total.
 * Every failure is reported once, as a classified {@link UpstreamError}. Not thread-safe: all
 * callbacks run on the event loop that started the call.
 */
public final class UpstreamCall {
  private final String provider;
  private final UpstreamTimeouts timeouts;
  private HttpClientRequest request;
  private HttpClientResponse response;
  private final PhaseTimer phase;
  private boolean finished;
  private boolean firstSliceSeen;
  private Handler<UpstreamError> onError = e -> {};
  private long sentAtNanos;
  /** When the request last got its connection (or stream) and was written; -1 before. */
  private long writtenAtNanos = -1;

  UpstreamCall(Vertx vertx, String provider, UpstreamTimeouts timeouts) {
    this(vertx, provider, timeouts, Ticker.system());
  }

  /** {@code ticker} times the first-token and idle phases (tests may pass a fake one). */
  UpstreamCall(Vertx vertx, String provider, UpstreamTimeouts timeouts, Ticker ticker) {
    this.provider = provider;
    this.timeouts = timeouts;
    this.phase = new PhaseTimer(ticker, PhaseTimer.Timers.of(vertx), (name, ms) -> fail(timeout(name, ms)));
  }

  private final Promise<UpstreamCall> headers = Promise.promise();

  void start(Future<HttpClientRequest> requestFuture, Buffer body) {
    start(requestFuture, body, null);
  }

  /**
   * @param again on a 401 or 403 answer, a new request carrying renewed credentials (or null when
   *     they are not worth renewing): the answer is discarded and the body sent once more on it
   *     (once; the deadlines run on). Null: no second try.
   */
  void start(Future<HttpClientRequest> requestFuture, Buffer body,
      java.util.function.Supplier<Future<HttpClientRequest>> again) {
    sentAtNanos = System.nanoTime();
    onError = e -> headers.tryFail(new UpstreamFailure(e));
    phase.limitTotal(timeouts.total().toMillis());
    armPhase("first token", timeouts.firstToken().toMillis());
    send(requestFuture, body, again);
  }

  private void send(Future<HttpClientRequest> requestFuture, Buffer body,
      java.util.function.Supplier<Future<HttpClientRequest>> again) {
    requestFuture.onComplete(ar -> {
      if (ar.failed()) {
        fail(classify(ar.cause()));
        return;
      }
      request = ar.result();
      if (finished) {
        request.reset();
        return;
      }
      writtenAtNanos = System.nanoTime();
      WriteQueueTrim.trim(request); // over HTTP/2: 4.6 kB less heap per open stream
      request.exceptionHandler(t -> fail(classify(t)));
      request.send(body).onComplete(rr -> {
        if (rr.failed()) {
          fail(classify(rr.cause()));
          return;
        }
        if (finished) {
          return;
        }
        HttpClientResponse answer = rr.result();
        Future<HttpClientRequest> retry = again != null && (answer.statusCode() == 401 || answer.statusCode() == 403)
            ? again.get() : null;
        if (retry != null) {
          // A stale credential: read the refusal off the connection (it goes back to the pool) and resend.
          answer.exceptionHandler(t -> { }).handler(b -> { });
          send(retry, body, null);
          return;
        }
        response = answer;
        forgetSentHeaders();
        // Body slices are delivered only once a consumer is attached.
        response.pause();
        response.exceptionHandler(t -> fail(classify(t)));
        headers.tryComplete(this);
      });
    });
  }

  /**
   * Empties the request's header map once the answer's head is in: over HTTP/2 the headers were
   * encoded into the stream's HEADERS frame when sent and nothing reads the map again, but Vert.x
   * keeps the request, and with it the map (~0.5 kB), for as long as the stream is open. Over
   * HTTP/1.1 the connection reads the request's headers again when the answer ends (keep-alive,
   * upgrade), so they stay.
   */
  private void forgetSentHeaders() {
    if (request.version() == HttpVersion.HTTP_2) {
      request.headers().clear();
    }
  }

  /** Fails the call with {@code error} without sending anything (the request could not be signed). */
  void refuse(UpstreamError error) {
    sentAtNanos = System.nanoTime();
    finished = true;
    headers.tryFail(new UpstreamFailure(error));
  }

  /**
   * Completes when the response headers arrive, or fails with an {@link UpstreamFailure}
   * (connection, timeout) — never with a raw exception. Never completes after {@link #cancel()}.
   */
  public Future<UpstreamCall> responded() {
    return headers.future();
  }

  public int status() {
    return response.statusCode();
  }

  public MultiMap headers() {
    return response.headers();
  }

  public long sentAtNanos() {
    return sentAtNanos;
  }

  /**
   * {@link System#nanoTime()} when the request was last written on a connection: after any wait for
   * a free stream or a connection being opened (and its TLS handshake), and, on a resend with renewed
   * credentials, the resend's. -1 while it has not been written.
   */
  public long writtenAtNanos() {
    return writtenAtNanos;
  }

  /** Reads the whole body under the idle and total deadlines. */
  public Future<Buffer> body() {
    Promise<Buffer> promise = Promise.promise();
    Whole acc = new Whole();
    stream(acc, v -> promise.tryComplete(acc.buffer()), e -> promise.tryFail(new UpstreamFailure(e)));
    return promise.future();
  }

  /**
   * The body's slices joined. A body that arrives in one slice (most non-streamed answers) is that
   * slice, not a copy of it into a buffer grown step by step from 256 bytes; the client already
   * hands each slice over as a buffer of its own (a heap copy of the connection's bytes), so it can
   * be kept. From the second slice on they are copied into one buffer.
   */
  private static final class Whole implements Handler<Buffer> {
    private Buffer first;
    private Buffer joined;

    @Override
    public void handle(Buffer slice) {
      if (joined != null) {
        joined.appendBuffer(slice);
      } else if (first == null) {
        first = slice;
      } else {
        joined = Buffer.buffer(2 * (first.length() + slice.length())).appendBuffer(first).appendBuffer(slice);
        first = null;
      }
    }

    Buffer buffer() {
      return joined != null ? joined : first != null ? first : Buffer.buffer();
    }
  }

  /**
   * Relays the body slice by slice. Exactly one of {@code onEnd} or {@code onFailure} is called,
   * unless the call is {@link #cancel() cancelled}, after which neither is.
   */
  public void stream(Handler<Buffer> onSlice, Handler<Void> onEnd, Handler<UpstreamError> onFailure) {
    onError = onFailure;
    response.handler(slice -> {
      if (!finished) {
        firstSliceSeen = true;
        armPhase("idle", timeouts.idle().toMillis());
        onSlice.handle(slice);
      }
    });
    response.endHandler(v -> {
      if (!finished) {
        finish();
        onEnd.handle(null);
      }
    });
    response.resume();
  }

  /** Stops reading until {@link #resume()}: backpressure from a slow client. */
  public void pause() {
    if (response != null && !finished) {
      response.pause();
      // A paused read is the client's doing, not the provider's silence.
      phase.disarm();
    }
  }

  public void resume() {
    if (response != null && !finished) {
      if (firstSliceSeen) {
        armPhase("idle", timeouts.idle().toMillis());
      } else {
        armPhase("first token", timeouts.firstToken().toMillis());
      }
      response.resume();
    }
  }

  /** Abandons the call (client went away, or a hedge lost): resets the stream, reports nothing. */
  public void cancel() {
    if (finished) {
      return;
    }
    finish();
    if (request != null) {
      request.reset();
    }
  }

  /** Per body slice on a stream: cheap (a timestamp), see {@link PhaseTimer}. */
  private void armPhase(String name, long ms) {
    phase.arm(name, ms);
  }

  private void fail(UpstreamError error) {
    if (finished) {
      return;
    }
    finish();
    if (request != null) {
      request.reset();
    }
    onError.handle(error);
  }

  private void finish() {
    finished = true;
    phase.cancel();
  }

  private UpstreamError timeout(String phase, long ms) {
    return UpstreamError.of(ErrorClass.TIMEOUT, 0,
        "Provider '" + provider + "' timed out (" + phase + " timeout of " + ms + " ms)");
  }

  private UpstreamError classify(Throwable t) {
    if (t instanceof UpstreamFailure f) {
      return f.error(); // already classified (credentials that could not be had)
    }
    if (t instanceof ConnectTimeoutException || t instanceof TimeoutException) {
      return timeout("connect", timeouts.connect().toMillis());
    }
    if (handshakeTimedOut(t)) {
      return UpstreamError.of(ErrorClass.TIMEOUT, 0, "Provider '" + provider
          + "' timed out (TLS handshake: the provider's connect timeout)");
    }
    if (t instanceof ConnectException) {
      return UpstreamError.of(ErrorClass.CONNECTION, 0, "Could not connect to provider '" + provider + "'");
    }
    return UpstreamError.of(ErrorClass.CONNECTION, 0,
        "Connection to provider '" + provider + "' failed: " + safeMessage(t));
  }

  /**
   * A TLS handshake that did not finish in time (Netty's timeout, which Vert.x reports as the cause of
   * an {@code SSLHandshakeException}): a timeout, not a certificate the JVM refused.
   */
  private static boolean handshakeTimedOut(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SslHandshakeTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Exception text without addresses or keys: only the class of failure. */
  private static String safeMessage(Throwable t) {
    String name = t.getClass().getSimpleName();
    return switch (name) {
      case "HttpClosedException", "ClosedChannelException" -> "connection closed";
      case "StreamResetException" -> "stream reset";
      // Most often a certificate the JVM does not trust: a private authority goes in the provider's ca_file.
      case "SSLHandshakeException" -> "TLS handshake failed (certificate not trusted? see the provider's ca_file)";
      default -> name.replace("Exception", "").toLowerCase(java.util.Locale.ROOT);
    };
  }
}
