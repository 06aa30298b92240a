package dev.sluice.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One scripted answer of the {@link FakeUpstream}: status, headers, latency, a whole body or an
 * event stream fed event by event, and faults (reset before answering, cut mid-stream, hang, hold
 * the stream until the test releases it).
 */
public final class FakeResponse {
  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  String body = "";
  List<String> events;
  /** Binary frames (an AWS event stream), sent one write each like {@link #events}; null otherwise. */
  List<io.vertx.core.buffer.Buffer> frames;
  long latencyMs;
  long eventIntervalMs;
  boolean reset;
  boolean hang;
  int cutAfter = -1;
  int holdAfter = -1;
  int bytesPerWrite;
  CompletableFuture<Void> gate;
  /** Bytes of events the fake managed to hand to its socket so far (it honours backpressure). */
  public final java.util.concurrent.atomic.AtomicLong bytesSent = new java.util.concurrent.atomic.AtomicLong();

  private FakeResponse(int status) {
    this.status = status;
  }

  public static FakeResponse json(int status, String body) {
    FakeResponse r = new FakeResponse(status);
    r.body = body;
    r.headers.put("content-type", "application/json");
    return r;
  }

  /** An event stream; each item is one event's raw text without the trailing blank line. */
  public static FakeResponse sse(List<String> events) {
    FakeResponse r = new FakeResponse(200);
    r.events = new ArrayList<>(events);
    r.headers.put("content-type", "text/event-stream");
    return r;
  }

  /** A binary event stream (AWS {@code application/vnd.amazon.eventstream}): one write per frame unless split further. */
  public static FakeResponse frames(String contentType, List<io.vertx.core.buffer.Buffer> frames) {
    FakeResponse r = new FakeResponse(200);
    r.frames = new ArrayList<>(frames);
    r.headers.put("content-type", contentType);
    return r;
  }

  /** A stream of OpenAI chunks given as JSON texts, each sent as {@code data: ...}, then {@code [DONE]}. */
  public static FakeResponse openAiStream(List<String> chunkJsons) {
    List<String> events = new ArrayList<>();
    chunkJsons.forEach(c -> events.add("data: " + c));
    events.add("data: [DONE]");
    return sse(events);
  }

  /** Closes the connection without answering. */
  public static FakeResponse resetConnection() {
    FakeResponse r = new FakeResponse(0);
    r.reset = true;
    return r;
  }

  /** Accepts the request and never answers. */
  public static FakeResponse hang() {
    FakeResponse r = new FakeResponse(0);
    r.hang = true;
    return r;
  }

  public FakeResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public FakeResponse latency(long ms) {
    this.latencyMs = ms;
    return this;
  }

  public FakeResponse eventInterval(long ms) {
    this.eventIntervalMs = ms;
    return this;
  }

  /**
   * Drip-feeds the answer: every event (or the whole body) is written {@code bytesPerWrite} bytes
   * at a time, each slice its own write, splitting UTF-8 characters and SSE lines wherever they fall.
   */
  public FakeResponse splitInto(int bytesPerWrite) {
    if (bytesPerWrite < 1) {
      throw new IllegalArgumentException("bytesPerWrite must be at least 1");
    }
    this.bytesPerWrite = bytesPerWrite;
    return this;
  }

  /** Sends {@code n} events, then closes the connection abruptly. */
  public FakeResponse cutAfter(int n) {
    this.cutAfter = n;
    return this;
  }

  /** A whole (not streamed) answer: sends nothing, headers included, until {@code release} completes. */
  public FakeResponse holdUntil(CompletableFuture<Void> release) {
    this.gate = release;
    return this;
  }

  /** Sends {@code n} events, then waits for {@code release} before sending the rest. */
  public FakeResponse holdAfter(int n, CompletableFuture<Void> release) {
    this.holdAfter = n;
    this.gate = release;
    return this;
  }
}
