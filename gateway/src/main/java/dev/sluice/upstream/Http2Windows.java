package dev.sluice.upstream;

import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;

/**
 * HTTP/2 flow control for upstream connections (HTTPS providers, HTTP/2 by ALPN). A stream whose
 * client reads slowly is paused (backpressure), and a paused stream keeps the bytes it was sent
 * without consuming them, so they are not credited back to the connection's receive window either.
 * With the protocol's default windows (64 KiB for each stream and 64 KiB for the whole connection)
 * one paused stream can hold the entire connection window, and every other stream multiplexed on
 * that connection stops receiving until it resumes: on a busy 2-core host with 5,000 streams,
 * 1,252 of them got their first token up to 15 s late and then their whole answer at once, and the
 * adaptive limit read the late first tokens as an overloaded provider (bench/results/streams-h2.md).
 *
 * <p>So the connection window is the stream window times the most streams a connection carries: the
 * paused streams of a connection can never hold more than the connection allows, and a stream is
 * only ever held back by its own client. The stream window is 1 MiB (gRPC's default; Go and the
 * JDK's client use 4 and 16 MiB): an LLM stream sends tens of kB, and a large non-streamed body
 * (embeddings) is not capped at 64 KiB per round trip (0.6 MB/s at 100 ms). What a paused stream can
 * make Sluice buffer is bounded by its own window, 1 MiB.
 */
final class Http2Windows {
  /** Streams one upstream connection carries at most; the pool's HTTP/2 size counts on it. */
  static final int STREAMS_PER_CONNECTION = 100;
  static final int STREAM_WINDOW = 1 << 20;
  static final int CONNECTION_WINDOW = STREAM_WINDOW * STREAMS_PER_CONNECTION;

  private Http2Windows() {}

  static HttpClientOptions apply(HttpClientOptions options) {
    return options.setHttp2MultiplexingLimit(STREAMS_PER_CONNECTION)
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW)
        .setInitialSettings(new Http2Settings(options.getInitialSettings()).setInitialWindowSize(STREAM_WINDOW));
  }
}
