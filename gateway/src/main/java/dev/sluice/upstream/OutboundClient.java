package dev.sluice.upstream;

import dev.sluice.upstream.OutboundDecision.Allowed;
import dev.sluice.upstream.OutboundDecision.Refused;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;

/**
 * POSTs to URLs that are not the providers' (budget alert webhooks). A URL from elsewhere than the
 * config file goes through the {@link OutboundGuard} and then to the one address it pinned: the TCP
 * connection goes to that address while the Host header, TLS SNI and the certificate check use the
 * URL's host name. A URL from the config file is sent as written. Either way redirects are never
 * followed — a 3xx is a failed delivery, like any answer but 2xx — and connections are not kept
 * alive (each call resolves and connects anew). The response body is discarded unread.
 *
 * <p>Thread-safe; call from any thread. Closed with its Vert.x instance.
 */
public final class OutboundClient {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final long IDLE_TIMEOUT_MS = 10_000;

  private final OutboundGuard guard;
  private final HttpClient http;

  /** With the JVM's trust store, SNI always sent and host names verified. */
  public OutboundClient(Vertx vertx, OutboundGuard guard) {
    this(vertx, guard, new HttpClientOptions());
  }

  /** As {@link #OutboundClient(Vertx, OutboundGuard)} on top of {@code options} (tests give a trust store). */
  public OutboundClient(Vertx vertx, OutboundGuard guard, HttpClientOptions options) {
    this.guard = guard;
    this.http = vertx.createHttpClient(new HttpClientOptions(options).setKeepAlive(false).setForceSni(true)
        .setVerifyHost(true).setConnectTimeout(CONNECT_TIMEOUT_MS).setMaxRedirects(0));
  }

  /**
   * POSTs {@code body} to {@code url} if the guard allows it. Fails with an
   * {@link OutboundRefusedException} when it does not (nothing is sent), and with an
   * {@link IllegalStateException} naming the URL's origin (never its path or query) when the call
   * fails or answers other than 2xx; completes when the status line of a 2xx arrives.
   */
  public Future<Void> post(String url, Buffer body, String contentType) {
    return guard.decide(url).compose(decision -> {
      if (decision instanceof Refused r) {
        return Future.failedFuture(new OutboundRefusedException(r));
      }
      Allowed a = (Allowed) decision;
      OutboundUrl u = a.url();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
          .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(a.address(), u.port())))
          .setHost(u.host()).setPort(u.port()).setSsl(u.tls()).setURI(u.pathAndQuery())
          .putHeader("host", u.authority());
      return send(options, body, contentType, u.origin());
    });
  }

  /** POSTs {@code body} to a URL written in the config file, as written: no guard, no redirects followed. */
  public Future<Void> postAsConfigured(String url, Buffer body, String contentType) {
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url);
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalStateException("not a valid URL: " + e.getMessage()));
    }
    return send(options, body, contentType, origin(url));
  }

  /** {@code scheme://host[:port]} of a URL: user info, a path or a query may carry a secret; logs never show them. */
  private static String origin(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (java.net.URISyntaxException e) {
      return "(a URL that does not parse)";
    }
  }

  private Future<Void> send(RequestOptions options, Buffer body, String contentType, String where) {
    options.setFollowRedirects(false).setIdleTimeout(IDLE_TIMEOUT_MS).putHeader("content-type", contentType);
    return http.request(options).compose(req -> req.send(body)).compose(OutboundClient::outcome)
        .recover(e -> Future.failedFuture(new IllegalStateException("POST to " + where + " failed: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e)));
  }

  private static Future<Void> outcome(HttpClientResponse resp) {
    resp.handler(chunk -> { }).exceptionHandler(e -> { }); // discard the body; the connection closes after it
    int s = resp.statusCode();
    if (s >= 200 && s < 300) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new IllegalStateException("answered " + s
        + (s >= 300 && s < 400 ? ", a redirect (redirects are not followed)" : "")));
  }
}
