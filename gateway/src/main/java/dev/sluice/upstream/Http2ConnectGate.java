package dev.sluice.upstream;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientBuilder;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.Http1xClientConnection;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One event loop's pool of an HTTPS provider, with requests that arrive while an HTTP/2 connection is
 * being opened made to wait for it instead of each opening a connection of its own.
 *
 * <p>Vert.x's pool opens a new connection for every request that finds no free stream, up to the
 * pool's size, and a connection being opened has no free stream until its TLS handshake is done. So
 * a burst on a cold pool (the first traffic after the provider's idle connections were closed) opened
 * as many connections as requests arrived during one handshake: 177-221 connections and as many
 * handshakes for 5,000-8,000 streams that 80 connections carry, the handshakes' key math on the
 * event loops, and the adaptive limit refusing streams while it lasted
 * (bench/results/streams-h2.md, twelfth pass). Go's HTTP/2 transport does what this does: requests
 * share the dial in flight.
 *
 * <p>A request goes straight to the pool while an open connection has a free stream. Otherwise, while
 * a connection is being opened with room for it, it is held; otherwise it goes to the pool and opens
 * one. Held requests are handed on in arrival order as far as the free streams reach: when an opening
 * request has its connection, and whenever a request arrives (streams that ended since have freed room).
 * A held request waits at most for the opening request, which the connect timeout bounds. When that
 * fails, the requests held for it go to the pool each on its own, as without this gate: a connection
 * that was slow or failed is not made theirs (they may get a stream that freed up, or a connection of
 * their own). Once the server has chosen HTTP/1.1, nothing is held: a connection carries one request
 * at a time.
 *
 * <p>Its state is confined to one event loop (the pool's, on which its connections are opened and its
 * requests made); {@link #passThrough} is for pools used from any thread, or over plain HTTP/1.1.
 */
final class Http2ConnectGate {
  private final HttpClientAgent pool;
  /** Open HTTP/2 connections; removed when closed. */
  private final List<HttpClientConnectionInternal> connections = new ArrayList<>();
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  /** Requests handed to the pool for a free stream, not answered yet: their streams are not counted yet. */
  private int leasing;
  /** Requests handed to the pool to open a connection, not answered yet. */
  private int opening;
  /** Streams a connection being opened is expected to carry: what the last one opened allowed. */
  private long streamsPerConnection = Http2Windows.STREAMS_PER_CONNECTION;
  /** The thread this gate's state belongs to; null: requests go straight to the pool from any thread. */
  private final EventExecutor loop;
  /** Requests go straight to the pool: the server chose HTTP/1.1. */
  private boolean direct;

  private record Held(RequestOptions options, Promise<HttpClientRequest> answer) {}

  private Http2ConnectGate(HttpClientBuilder builder, Handler<HttpConnection> onConnect, EventExecutor loop) {
    this.loop = loop;
    this.direct = loop == null;
    this.pool = builder.withConnectHandler(connection -> {
      onConnect.handle(connection);
      connected(connection);
    }).build();
  }

  /**
   * A pool whose requests on {@code loop} wait for the HTTP/2 connection being opened. A request made
   * on another thread (a credential fetched elsewhere first) goes straight to the pool and is not counted.
   */
  static Http2ConnectGate onLoop(HttpClientBuilder builder, Handler<HttpConnection> onConnect, EventExecutor loop) {
    return new Http2ConnectGate(builder, onConnect, loop);
  }

  /** A pool whose requests all go straight to Vert.x's pool; any thread. */
  static Http2ConnectGate passThrough(HttpClientBuilder builder, Handler<HttpConnection> onConnect) {
    return new Http2ConnectGate(builder, onConnect, null);
  }

  Future<HttpClientRequest> request(RequestOptions options) {
    if (direct || !loop.inEventLoop()) {
      return pool.request(options);
    }
    if (!held.isEmpty()) {
      handOn(); // streams that ended since free them for the requests held first
    }
    return admit(options);
  }

  private Future<HttpClientRequest> admit(RequestOptions options) {
    if (freeStreams() > 0) {
      return lease(options);
    }
    if (opening * (streamsPerConnection - 1) > held.size()) {
      Promise<HttpClientRequest> answer = Promise.promise();
      held.addLast(new Held(options, answer));
      return answer.future();
    }
    return open(options);
  }

  Future<Void> close() {
    return pool.close();
  }

  /** Streams the open connections can still start, less those already asked for. */
  private long freeStreams() {
    long free = -leasing;
    for (int i = 0; i < connections.size(); i++) {
      HttpClientConnectionInternal c = connections.get(i);
      free += Math.max(0, c.concurrency() - c.activeStreams());
    }
    return free;
  }

  private Future<HttpClientRequest> lease(RequestOptions options) {
    leasing++;
    return answered(options, v -> leasing--);
  }

  private Future<HttpClientRequest> open(RequestOptions options) {
    opening++;
    return answered(options, failure -> {
      opening--;
      if (failure != null) {
        // Each tries on its own, as without this gate: one slow or failed connection is not theirs.
        // Holding them for one new connection instead, and failing them if that failed too, made fewer
        // handshakes but, with handshakes timing out on a CPU-starved host, 1,294 504s in one cold
        // ramp of 8,000 streams where this had 9 (bench/results/cold-ramp-shared-reopen-8k.jsonl).
        release();
      } else {
        handOn();
      }
    });
  }

  /**
   * The pool's answer to {@code options}, with {@code then} run after the caller's own handlers: by then
   * the caller has sent the request's headers on the stream it got, so the stream counts as active.
   */
  private Future<HttpClientRequest> answered(RequestOptions options, Handler<Throwable> then) {
    Promise<HttpClientRequest> answer = Promise.promise();
    pool.request(options).onComplete(ar -> {
      try {
        answer.handle(ar);
      } finally {
        then.handle(ar.failed() ? ar.cause() : null);
      }
    });
    return answer.future();
  }

  /** The held requests that now have a free stream, in arrival order; the first without one opens a connection when none is opening. */
  private void handOn() {
    while (!held.isEmpty()) {
      if (direct) {
        release(); // the server chose HTTP/1.1
        return;
      }
      if (opening > 0 && freeStreams() <= 0) {
        return; // the connections still being opened carry the rest
      }
      Held next = held.pollFirst();
      admit(next.options()).onComplete(next.answer()); // a free stream, or the next connection to open
    }
  }

  /** Every held request straight to the pool. */
  private void release() {
    while (!held.isEmpty()) {
      Held next = held.pollFirst();
      pool.request(next.options()).onComplete(next.answer());
    }
  }

  private void connected(HttpConnection connection) {
    if (direct || !loop.inEventLoop() || !(connection instanceof HttpClientConnectionInternal c)) {
      return; // opened for a request made on another thread: not this gate's to count
    }
    if (c instanceof Http1xClientConnection) {
      direct = true; // ALPN chose HTTP/1.1: one request per connection, nothing to share
      return;
    }
    streamsPerConnection = Math.max(1, c.concurrency());
    connections.add(c);
    c.closeHandler(v -> connections.remove(c));
  }
}
