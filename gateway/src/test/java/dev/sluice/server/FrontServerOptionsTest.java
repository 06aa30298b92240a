package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ClientLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client connection to the gateway's front is opened with: no WebSocket extension handler in
 * its pipeline (the gateway serves no WebSocket; Vert.x adds one to every connection by default, and
 * it stays for the connection's life), and requests are still read and answered through it.
 */
class FrontServerOptionsTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFrontConnectionHasNoWebSocketExtensionHandlerAndStillAnswers() throws Exception {
    List<List<String>> pipelines = new CopyOnWriteArrayList<>();
    int port = listen(FrontVerticle.serverOptions(ClientLimits.DEFAULTS), pipelines);

    assertThat(echo(port)).isEqualTo("hello");
    assertThat(pipelines).hasSize(1);
    assertThat(pipelines.get(0)).contains("handler").doesNotContain("webSocketExtensionHandler");
  }

  @Test
  void vertxsDefaultsWouldAddOne() throws Exception { // the control: the check above can see the handler
    List<List<String>> pipelines = new CopyOnWriteArrayList<>();
    int port = listen(new HttpServerOptions(), pipelines);

    assertThat(echo(port)).isEqualTo("hello");
    assertThat(pipelines.get(0)).contains("webSocketExtensionHandler");
  }

  private int listen(HttpServerOptions options, List<List<String>> pipelines) throws Exception {
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(c -> pipelines.add(((ConnectionBase) c).channel().pipeline().names()))
        .requestHandler(req -> req.body().onSuccess(b -> req.response().end(b)));
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private String echo(int port) throws Exception {
    HttpClientAgent client = vertx.createHttpClient();
    Buffer body = await(client.request(HttpMethod.POST, port, "127.0.0.1", "/")
        .compose(r -> r.send("hello").compose(HttpClientResponse::body)));
    return body.toString();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
