package dev.sluice.upstream;

import dev.sluice.core.UpstreamRequest;
import dev.sluice.core.UpstreamTimeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * The one pooled keep-alive HTTP client of a provider. HTTPS endpoints negotiate HTTP/2 through
 * ALPN and fall back to HTTP/1.1; plain-HTTP endpoints use HTTP/1.1 (no h2c upgrade dance, which
 * many local servers mishandle). Thread-safe; calls may start on any event loop.
 */
public final class UpstreamClient {
  private final Vertx vertx;
  private final UpstreamEndpoint endpoint;
  private final HttpClientAgent http;

  public UpstreamClient(Vertx vertx, UpstreamEndpoint endpoint) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    boolean tls = URI.create(endpoint.baseUrl()).getScheme().equalsIgnoreCase("https");
    HttpClientOptions options = new HttpClientOptions()
        .setTcpNoDelay(true)
        .setKeepAlive(true)
        .setConnectTimeout((int) endpoint.timeouts().connect().toMillis())
        .setName("sluice-upstream-" + endpoint.name());
    if (tls) {
      options.setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2).setHttp2KeepAliveTimeout(60);
    }
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(endpoint.maxConnections())
        .setHttp2MaxSize(Math.max(1, endpoint.maxConnections() / 100));
    this.http = vertx.httpClientBuilder().with(options).with(pool).build();
  }

  public UpstreamEndpoint endpoint() {
    return endpoint;
  }

  /** Starts the call under the provider's own timeouts; see {@link UpstreamCall#responded()}. */
  public UpstreamCall send(UpstreamRequest request) {
    return send(request, endpoint.timeouts());
  }

  /** Starts the call under {@code timeouts} (a model's, capped by the request's deadline). */
  public UpstreamCall send(UpstreamRequest request, UpstreamTimeouts timeouts) {
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setAbsoluteURI(endpoint.baseUrl() + request.path())
        .setHeaders(request.headers())
        .setConnectTimeout(timeouts.connect().toMillis());
    endpoint.extraHeaders().forEach(options::putHeader);
    if (endpoint.apiKey() != null && !endpoint.apiKey().isEmpty()) {
      options.putHeader(endpoint.auth().header(), endpoint.auth().prefix() + endpoint.apiKey());
    }
    UpstreamCall call = new UpstreamCall(vertx, endpoint.name(), timeouts);
    call.start(http.request(options), request.body());
    return call;
  }

  public Future<Void> close() {
    return http.close();
  }
}
