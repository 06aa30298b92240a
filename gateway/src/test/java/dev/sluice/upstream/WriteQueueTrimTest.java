package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections whose write queue was swapped for the small one still carry every write, in order,
 * also when the writes come from another thread (the queue is what they go through then) and
 * outnumber a chunk many times over; both ends: a server's connection (the gateway's front) and a
 * client's pooled connection (the upstream pools); and a client's HTTP/2 streams, which each have
 * a write queue of their own (the upstream pools over HTTPS).
 */
class WriteQueueTrimTest {
  private static final int PARTS = 3_000;

  private Vertx vertx;
  private HttpServer server;
  private final List<Boolean> serverTrims = new CopyOnWriteArrayList<>();
  private final List<Boolean> serverSecondTrims = new CopyOnWriteArrayList<>();
  private final List<Boolean> serverTrimmed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    server = vertx.createHttpServer()
        .connectionHandler(c -> {
          serverTrims.add(WriteQueueTrim.trim(c));
          serverSecondTrims.add(WriteQueueTrim.trim(c));
          serverTrimmed.add(WriteQueueTrim.isTrimmed(c));
        })
        .requestHandler(req -> {
          if (req.path().equals("/echo")) {
            req.body().onSuccess(body -> req.response().end(body));
            return;
          }
          HttpServerResponse response = req.response().setChunked(true);
          Thread writer = new Thread(() -> { // off the event loop: every write goes through the queue
            for (int i = 0; i < PARTS; i++) {
              response.write(i + "\n");
            }
            response.end();
          }, "test-writer");
          writer.start();
        });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTrimmedServerConnectionWritesEveryPartInOrder() throws Exception {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions());
    Buffer body = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/parts")
        .compose(r -> r.send().compose(HttpClientResponse::body)));

    assertThat(body.toString()).isEqualTo(expected());
    assertThat(serverTrims).containsExactly(true);
    assertThat(serverSecondTrims).as("an already small queue is left alone").containsExactly(false);
    assertThat(serverTrimmed).containsExactly(true);
  }

  @Test
  void aTrimmedClientConnectionSendsEveryPartInOrder() throws Exception {
    List<Boolean> clientTrims = new CopyOnWriteArrayList<>();
    HttpClientAgent client = vertx.httpClientBuilder().with(new HttpClientOptions())
        .withConnectHandler(c -> clientTrims.add(WriteQueueTrim.trim(c) && WriteQueueTrim.isTrimmed(c)))
        .build();
    HttpClientRequest request = await(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/echo"));

    assertThat(await(echoOfPartsWrittenOffTheLoop(request)).toString()).isEqualTo(expected());
    assertThat(clientTrims).containsExactly(true);
  }

  @Test
  void trimmedHttp2StreamsSendEveryPartInOrder() throws Exception {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    List<Boolean> trims = new CopyOnWriteArrayList<>();
    for (int round = 0; round < 2; round++) { // the second request is a new stream on the same connection
      HttpClientRequest request = await(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/echo")
          .map(r -> {
            trims.add(WriteQueueTrim.trim(r) && WriteQueueTrim.isTrimmed(r));
            trims.add(WriteQueueTrim.trim(r)); // already small: left alone
            return r;
          }));
      assertThat(request.version()).isEqualTo(HttpVersion.HTTP_2);

      assertThat(await(echoOfPartsWrittenOffTheLoop(request)).toString()).isEqualTo(expected());
    }
    assertThat(trims).containsExactly(true, false, true, false);
  }

  @Test
  void anHttp1RequestAndARequestOffItsEventLoopAreLeftAlone() throws Exception {
    HttpClientAgent http1 = vertx.createHttpClient(new HttpClientOptions());
    List<Boolean> trims = new CopyOnWriteArrayList<>();
    Buffer one = await(http1.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/echo")
        .compose(r -> {
          trims.add(WriteQueueTrim.trim(r)); // HTTP/1.1 writes through its connection's queue
          return r.send("one").compose(HttpClientResponse::body);
        }));
    assertThat(one.toString()).isEqualTo("one");

    HttpClientAgent http2 = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    AtomicReference<Context> streamContext = new AtomicReference<>();
    HttpClientRequest stream = await(http2.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/echo")
        .map(r -> {
          streamContext.set(Vertx.currentContext());
          return r;
        }));
    trims.add(WriteQueueTrim.trim(stream)); // the test thread is not its event loop
    trims.add(WriteQueueTrim.isTrimmed(stream));
    assertThat(await(sentOnItsContext(stream, streamContext.get(), "two")).toString()).isEqualTo("two");

    assertThat(trims).containsExactly(false, false, false);
  }

  @Test
  void aConnectionHandledOffItsEventLoopIsLeftAlone() throws Exception {
    List<io.vertx.core.http.HttpConnection> seen = new CopyOnWriteArrayList<>();
    HttpClientAgent client = vertx.httpClientBuilder().with(new HttpClientOptions())
        .withConnectHandler(seen::add).build();
    await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/parts")
        .compose(r -> r.send().compose(HttpClientResponse::body)));

    assertThat(seen).hasSize(1);
    assertThat(WriteQueueTrim.trim(seen.get(0))).isFalse(); // the test thread is not its event loop
    assertThat(WriteQueueTrim.isTrimmed(seen.get(0))).isFalse();
  }

  /**
   * Writes {@link #PARTS} lines on the request from a thread of its own, so that every write goes
   * through the request's write queue, then ends it; the echoed body.
   */
  private static Future<Buffer> echoOfPartsWrittenOffTheLoop(HttpClientRequest request) {
    request.setChunked(true); // Vert.x asks for it to write a body in parts, also over HTTP/2
    Future<Buffer> echoed = request.response().compose(HttpClientResponse::body);
    Thread writer = new Thread(() -> {
      for (int i = 0; i < PARTS; i++) {
        request.write(i + "\n");
      }
      request.end();
    }, "test-client-writer");
    writer.start();
    return echoed;
  }

  /**
   * Sends the request and reads the answer on the request's own context. Chained from the test
   * thread instead, {@code body()} can be asked for after the answer has ended, and Vert.x 5.0.7
   * then never completes it (eclipse-vertx/vert.x#6038): a test that hung once in ~20 runs under load.
   */
  private static Future<Buffer> sentOnItsContext(HttpClientRequest request, Context context, String body) {
    Promise<Buffer> echoed = Promise.promise();
    context.runOnContext(v -> request.send(body).compose(HttpClientResponse::body).onComplete(echoed));
    return echoed.future();
  }

  private static String expected() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < PARTS; i++) {
      s.append(i).append('\n');
    }
    return s.toString();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
