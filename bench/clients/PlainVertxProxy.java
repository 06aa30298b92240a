import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;

/**
 * The "vertx" arm of bench/run.sh: the floor of Sluice's stack (JVM + Netty + Vert.x HTTP), a plain
 * reverse proxy with no gateway feature at all. Whatever Sluice costs beyond this arm is its own
 * pipeline; whatever this arm costs beyond nginx is the stack.
 *
 * <p>Written the way one would write a fast Vert.x proxy: one server verticle per CPU on the same
 * port, and in each verticle its own upstream pool, so a request, its upstream connection and its
 * client connection stay on one event loop. Keep-alive and TCP_NODELAY both ways; hop-by-hop headers
 * dropped; bodies streamed both ways with backpressure (a pipe), so a streamed (SSE) answer is relayed
 * buffer by buffer as it arrives; a client that goes away cancels its upstream request. Nothing is
 * logged on the hot path.
 *
 * <p>Usage: {@code java -cp sluice.jar:classes PlainVertxProxy LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT
 * [FAULT_PORT]}: paths starting with {@code /fault/} go to FAULT_PORT (the streaming mock upstream),
 * everything else to UPSTREAM_PORT, as in bench/conf/nginx-proxy.conf. Listens on 127.0.0.1.
 */
public final class PlainVertxProxy extends VerticleBase {
  /** Hop-by-hop headers (RFC 9110 §7.6.1) and host: never forwarded either way. */
  private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer",
      "upgrade", "host"};
  /** Split between the event loops; twice the top concurrent-streams level (10,000), so no loop waits for a connection. */
  private static final int POOL_TOTAL = 20_000;

  private final int listenPort;
  private final String upstreamHost;
  private final int upstreamPort;
  private final int faultPort;
  private final int loops;
  private HttpClient canned;
  private HttpClient fault;

  PlainVertxProxy(int listenPort, String upstreamHost, int upstreamPort, int faultPort, int loops) {
    this.listenPort = listenPort;
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.faultPort = faultPort;
    this.loops = loops;
  }

  public static void main(String[] args) {
    int listenPort = Integer.parseInt(args[0]);
    String host = args[1];
    int upstreamPort = Integer.parseInt(args[2]);
    int faultPort = args.length > 3 ? Integer.parseInt(args[3]) : upstreamPort;
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new PlainVertxProxy(listenPort, host, upstreamPort, faultPort, loops),
            new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> System.out.println("PlainVertxProxy on 127.0.0.1:" + listenPort + ", " + loops
            + " event loops -> " + host + ":" + upstreamPort + " (/fault/ -> " + faultPort + ")"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    // Created here, on this verticle's event loop, and only used from it: one pool per loop.
    canned = pool(upstreamPort);
    fault = faultPort == upstreamPort ? canned : pool(faultPort);
    HttpServerOptions server = new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0);
    return vertx.createHttpServer(server).requestHandler(this::proxy).listen(listenPort, "127.0.0.1");
  }

  private HttpClient pool(int port) {
    HttpClientOptions options = new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true)
        .setDefaultHost(upstreamHost).setDefaultPort(port);
    return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(Math.max(1, POOL_TOTAL / loops)));
  }

  private void proxy(HttpServerRequest req) {
    req.pause(); // the body waits until the upstream request is there to take it
    HttpClient client = req.path().startsWith("/fault/") ? fault : canned;
    RequestOptions options = new RequestOptions().setMethod(req.method()).setURI(req.uri())
        .setHeaders(copy(req.headers(), HttpHeaders.headers()));
    client.request(options).onComplete(created -> {
      if (created.failed()) {
        badGateway(req);
        return;
      }
      HttpClientRequest up = created.result();
      HttpServerResponse out = req.response();
      out.closeHandler(v -> up.reset()); // client gone: cancel upstream
      up.send(req).onComplete(answered -> {
        if (answered.failed()) {
          badGateway(req);
          return;
        }
        HttpClientResponse res = answered.result();
        out.setStatusCode(res.statusCode()).setStatusMessage(res.statusMessage());
        copy(res.headers(), out.headers());
        if (!res.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
          out.setChunked(true);
        }
        // Each upstream buffer is written as it arrives; the pipe pauses upstream while the client's
        // write queue is full. On failure the client connection is reset, not ended as if complete.
        res.pipe().endOnFailure(false).to(out).onFailure(e -> {
          up.reset();
          out.reset();
        });
      });
    });
  }

  private static void badGateway(HttpServerRequest req) {
    HttpServerResponse out = req.response();
    if (!out.headWritten() && !out.closed()) {
      out.setStatusCode(502).end();
    } else {
      out.reset();
    }
  }

  private static MultiMap copy(MultiMap from, MultiMap to) {
    for (Map.Entry<String, String> h : from) {
      if (!hopByHop(h.getKey())) {
        to.add(h.getKey(), h.getValue());
      }
    }
    return to;
  }

  private static boolean hopByHop(String name) {
    for (String h : HOP_BY_HOP) {
      if (h.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
