package dev.sluice.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A scriptable fake provider: a real Vert.x HTTP server on a loopback port. Tests
 * {@link #enqueue} answers and {@link #takeRequest} what arrived. Register with
 * {@code @RegisterExtension}; it starts before and stops after each test.
 */
public final class FakeUpstream implements BeforeEachCallback, AfterEachCallback {
  private final ConcurrentLinkedDeque<FakeResponse> script = new ConcurrentLinkedDeque<>();
  private final BlockingQueue<RecordedRequest> received = new LinkedBlockingQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private Vertx vertx;
  private HttpServer server;
  private volatile java.util.function.Function<RecordedRequest, FakeResponse> dispatcher;
  private volatile java.util.function.Function<RecordedRequest, FakeResponse> guard;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    stop();
  }

  /** Starts the server; for a test class that shares one fake across its tests ({@code @BeforeAll}). */
  public void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(this::handle)
        .connectionHandler(c -> connections.incrementAndGet());
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Stops the server and forgets what it received; safe to call when it never started. */
  public void stop() throws Exception {
    if (vertx == null) {
      return;
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    script.clear();
    received.clear();
    connections.set(0);
  }

  public int port() {
    return server.actualPort();
  }

  /** The base URL an OpenAI-family provider would be configured with. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public FakeUpstream enqueue(FakeResponse response) {
    script.add(response);
    return this;
  }

  /** Answers every request the script does not: for load tests that need a rule, not a queue. */
  public FakeUpstream dispatch(java.util.function.Function<RecordedRequest, FakeResponse> rule) {
    this.dispatcher = rule;
    return this;
  }

  /**
   * Checks every request before the script answers it, as a provider checks credentials: a non-null
   * answer from {@code check} is sent instead, and the scripted response stays queued.
   */
  public FakeUpstream guard(java.util.function.Function<RecordedRequest, FakeResponse> check) {
    this.guard = check;
    return this;
  }

  /** The next request received, waiting up to 5 s. */
  public RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest r = received.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the fake upstream received no request");
    }
    return r;
  }

  /** Every request received and not yet taken, in arrival order. */
  public java.util.List<RecordedRequest> received() {
    return java.util.List.copyOf(received);
  }

  public void clearReceived() {
    received.clear();
  }

  /** How many TCP connections clients opened to this fake so far. */
  public int connectionCount() {
    return connections.get();
  }

  public int requestCount() {
    return count.get();
  }

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  /** The most requests this fake was answering at the same time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpServerRequest req) {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    req.connection().closeHandler(v -> closed.complete(null));
    req.body().onSuccess(body -> {
      count.incrementAndGet();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      req.response().endHandler(v -> inFlight.decrementAndGet());
      RecordedRequest recorded = new RecordedRequest(req.method().name(), req.uri(), headers, body.toString(), closed);
      received.add(recorded);
      FakeResponse refusal = guard == null ? null : guard.apply(recorded);
      FakeResponse scripted = refusal != null ? refusal : script.poll();
      FakeResponse r = scripted == null && dispatcher != null ? dispatcher.apply(recorded) : scripted;
      if (r == null) {
        req.response().setStatusCode(500).end("{\"error\":{\"message\":\"the test enqueued no response\"}}");
        return;
      }
      if (r.latencyMs > 0) {
        vertx.setTimer(r.latencyMs, id -> answer(req, r));
      } else {
        answer(req, r);
      }
    });
  }

  private void answer(HttpServerRequest req, FakeResponse r) {
    if (r.hang) {
      return;
    }
    if (r.reset) {
      req.connection().close();
      return;
    }
    if (r.events == null && r.frames == null && r.gate != null && !r.gate.isDone()) {
      r.gate.whenComplete((v, t) -> vertx.runOnContext(x -> answer(req, r)));
      return;
    }
    HttpServerResponse res = req.response().setStatusCode(r.status);
    r.headers.forEach(res::putHeader);
    if (r.events == null && r.frames == null) {
      if (r.cutAfter >= 0) {
        res.putHeader("content-length", Integer.toString(r.body.length()));
        res.write(r.body.substring(0, r.body.length() / 2)).onComplete(v -> req.connection().close());
        return;
      }
      if (r.bytesPerWrite > 0) {
        res.setChunked(true);
        writeSlices(res, Buffer.buffer(r.body), 0, r.bytesPerWrite, () -> res.end());
        return;
      }
      res.end(r.body);
      return;
    }
    res.setChunked(true);
    Iterator<Buffer> writes = r.frames != null ? r.frames.iterator()
        : r.events.stream().map(e -> Buffer.buffer(e + "\n\n")).iterator();
    sendEvents(req, res, r, writes, 0);
  }

  /** Writes {@code bytes} from {@code from} in slices of {@code size}, one write each, honouring backpressure. */
  private void writeSlices(HttpServerResponse res, Buffer bytes, int from, int size, Runnable then) {
    int at = from;
    while (at < bytes.length()) {
      int end = Math.min(bytes.length(), at + size);
      res.write(bytes.getBuffer(at, end));
      at = end;
      if (res.writeQueueFull() && at < bytes.length()) {
        int next = at;
        res.drainHandler(v -> writeSlices(res, bytes, next, size, then));
        return;
      }
    }
    then.run();
  }

  private void sendEvents(HttpServerRequest req, HttpServerResponse res, FakeResponse r, Iterator<Buffer> it, int sent) {
    if (r.cutAfter >= 0 && sent == r.cutAfter) {
      req.connection().close();
      return;
    }
    if (r.holdAfter >= 0 && sent == r.holdAfter && !r.gate.isDone()) {
      r.gate.whenComplete((v, t) -> vertx.runOnContext(x -> sendEvents(req, res, r, it, sent)));
      return;
    }
    if (!it.hasNext()) {
      res.end();
      return;
    }
    Buffer event = it.next();
    if (r.bytesPerWrite > 0) {
      Buffer bytes = event;
      writeSlices(res, bytes, 0, r.bytesPerWrite, () -> {
        r.bytesSent.addAndGet(bytes.length());
        sendEvents(req, res, r, it, sent + 1);
      });
      return;
    }
    res.write(event);
    r.bytesSent.addAndGet(event.length());
    if (res.writeQueueFull()) {
      // Honour backpressure like a real server: wait until the gateway reads again.
      res.drainHandler(v -> sendEvents(req, res, r, it, sent + 1));
    } else if (r.eventIntervalMs > 0) {
      vertx.setTimer(r.eventIntervalMs, id -> sendEvents(req, res, r, it, sent + 1));
    } else {
      sendEvents(req, res, r, it, sent + 1);
    }
  }
}
