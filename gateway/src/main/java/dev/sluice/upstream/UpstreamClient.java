package dev.sluice.upstream;

import dev.sluice.core.KnownSecrets;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.core.UpstreamTimeouts;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientBuilder;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pooled keep-alive HTTP clients of a provider: one pool per event loop. A pooled connection
 * delivers its reads on the event loop that opened it, so a single pool shared by all loops made a
 * request accepted on loop A read its upstream answer on loop B and hop back for every event (an
 * eventfd wake-up and a task queue each way; bench/results/hotspots.md §1). With a pool per loop, a
 * request, its upstream connection and its client connection stay on one thread. The provider's
 * {@code max_connections} is split evenly between the loops, so the total stays what was configured.
 *
 * <p>HTTPS endpoints negotiate HTTP/2 through ALPN and fall back to HTTP/1.1; plain-HTTP endpoints
 * use HTTP/1.1 (no h2c upgrade dance, which many local servers mishandle). Over HTTP/2, requests
 * that arrive while a connection is being opened wait for it rather than each opening one
 * ({@link Http2ConnectGate}). Thread-safe; calls made outside any event loop (tools, tests) share one
 * extra pool, which goes straight to Vert.x's.
 */
public final class UpstreamClient {
  private final Vertx vertx;
  private final UpstreamEndpoint endpoint;
  private final String host;
  private final int port;
  private final boolean tls;
  private final String basePath;
  private final int connectionsPerLoop;
  private final KnownSecrets secrets;
  /** The fixed API key's header value (scheme prefix and key), made once; null without a key. */
  private final String authValue;
  /** Null unless requests are signed one by one (Bedrock's SigV4). */
  private final RequestSigner signer;
  /** Keyed by the event loop (a Netty EventLoop) of the calling context; {@link #NO_LOOP} otherwise. */
  private final Map<Object, Http2ConnectGate> pools = new ConcurrentHashMap<>();
  /** Null when the endpoint's fixed API key is all there is. */
  private final UpstreamCredentials credentials;

  private static final Object NO_LOOP = new Object();

  /** The secrets built from the signer's or the credentials' last list. */
  private record Rotating(List<String> held, KnownSecrets secrets) {}

  private volatile Rotating rotating;

  /** One pool for all callers: for tools and tests that do not run on several event loops. */
  public UpstreamClient(Vertx vertx, UpstreamEndpoint endpoint) {
    this(vertx, endpoint, 1);
  }

  public UpstreamClient(Vertx vertx, UpstreamEndpoint endpoint, int eventLoops) {
    this(vertx, endpoint, eventLoops, null, null);
  }

  /** With every request signed by {@code signer} (may be null) just before it is sent. */
  public UpstreamClient(Vertx vertx, UpstreamEndpoint endpoint, int eventLoops, RequestSigner signer) {
    this(vertx, endpoint, eventLoops, signer, null);
  }

  /** With {@code credentials} added to every call (and renewed once on a 401/403); closed with this client. */
  public UpstreamClient(Vertx vertx, UpstreamEndpoint endpoint, int eventLoops, UpstreamCredentials credentials) {
    this(vertx, endpoint, eventLoops, null, credentials);
  }

  private UpstreamClient(Vertx vertx, UpstreamEndpoint endpoint, int eventLoops, RequestSigner signer,
      UpstreamCredentials credentials) {
    this.vertx = vertx;
    this.signer = signer;
    this.credentials = credentials;
    this.endpoint = endpoint;
    URI uri = URI.create(endpoint.baseUrl());
    this.tls = uri.getScheme().equalsIgnoreCase("https");
    String h = uri.getHost();
    // URI keeps IPv6 literals bracketed ("[::1]"); the client wants the bare address.
    this.host = h != null && h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    this.port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
    this.basePath = uri.getRawPath() == null ? "" : uri.getRawPath();
    int loops = Math.max(1, eventLoops);
    this.connectionsPerLoop = Math.max(1, (endpoint.maxConnections() + loops - 1) / loops);
    this.secrets = KnownSecrets.of(endpoint.secrets());
    this.authValue = endpoint.apiKey() != null && !endpoint.apiKey().isEmpty()
        ? endpoint.auth().prefix() + endpoint.apiKey() : null;
  }

  public UpstreamEndpoint endpoint() {
    return endpoint;
  }

  /**
   * What this client authenticates with, for redacting error text: the endpoint's fixed secrets (see
   * {@link UpstreamEndpoint#secrets()}) and what its signer or credentials hold now and held just
   * before (tokens and keys that rotate). Rebuilt only when those change.
   */
  public KnownSecrets secrets() {
    List<String> held = signer != null ? signer.secrets() : credentials != null ? credentials.secrets() : List.of();
    if (held.isEmpty()) {
      return secrets;
    }
    Rotating r = rotating;
    if (r == null || !r.held().equals(held)) {
      List<String> all = new ArrayList<>(endpoint.secrets());
      all.addAll(held);
      r = new Rotating(held, KnownSecrets.of(all));
      rotating = r;
    }
    return r.secrets();
  }

  /** Starts the call under the provider's own timeouts; see {@link UpstreamCall#responded()}. */
  public UpstreamCall send(UpstreamRequest request) {
    return send(request, endpoint.timeouts());
  }

  /** Starts the call under {@code timeouts} (a model's, capped by the request's deadline). */
  public UpstreamCall send(UpstreamRequest request, UpstreamTimeouts timeouts) {
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(host)
        .setPort(port)
        .setSsl(tls)
        .setURI(basePath + request.path())
        .setHeaders(request.headers())
        .setConnectTimeout(timeouts.connect().toMillis());
    endpoint.extraHeaders().forEach(options::putHeader);
    if (authValue != null) {
      options.putHeader(endpoint.auth().header(), authValue);
    }
    UpstreamCall call = new UpstreamCall(vertx, endpoint.name(), timeouts);
    if (signer != null) {
      try {
        signer.sign(request.method(), URI.create(endpoint.baseUrl() + request.path()), options.getHeaders(),
            request.body()).forEach(options::putHeader);
      } catch (dev.sluice.core.UpstreamFailure unsigned) {
        call.refuse(unsigned.error());
        return call;
      }
    }
    if (credentials == null) {
      // Vert.x copies the headers into the request it creates, and keeps this header map (the
      // encoded request's own, made for this attempt) with a copy of the options, for redirects
      // (off), as long as the request: for a stream, ~0.5 kB to its end. Nothing reads it once the
      // request exists. (Credentials read the options again on a 401: below.)
      Future<HttpClientRequest> created = pool().request(options);
      MultiMap copied = options.getHeaders();
      if (copied != null) {
        created.onComplete(ar -> copied.clear()); // a listener on the same future: no future of its own
      }
      call.start(created, request.body());
    } else {
      Http2ConnectGate pool = pool();
      call.start(credentials.authorize(options).compose(v -> pool.request(options)), request.body(),
          () -> credentials.mayRenew(options) ? credentials.reauthorize(options).compose(v -> pool.request(options)) : null);
    }
    return call;
  }

  /** The pool of the calling event loop, created on its first call. */
  private Http2ConnectGate pool() {
    Context context = Vertx.currentContext();
    Object loop = context instanceof ContextInternal internal && internal.isEventLoopContext()
        ? internal.nettyEventLoop() : NO_LOOP;
    Http2ConnectGate pool = pools.get(loop);
    return pool != null ? pool : pools.computeIfAbsent(loop, this::newPool);
  }

  /** {@code loop}: the event loop the pool is for (its HTTP/2 requests share connections being opened), or {@link #NO_LOOP}. */
  private Http2ConnectGate newPool(Object loop) {
    HttpClientOptions options = new HttpClientOptions()
        .setTcpNoDelay(true)
        .setKeepAlive(true)
        .setConnectTimeout((int) endpoint.timeouts().connect().toMillis())
        .setName("sluice-upstream-" + endpoint.name());
    if (tls) {
      Http2Windows.apply(options.setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2).setHttp2KeepAliveTimeout(60));
      // The connect timeout covers the TLS handshake too (Vert.x's own limit for it is 10 s whatever
      // the provider's connect timeout says).
      options.setSslHandshakeTimeout(endpoint.timeouts().connect().toMillis())
          .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
      if (endpoint.caFile() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(endpoint.caFile()));
      }
    }
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(connectionsPerLoop)
        .setHttp2MaxSize(Math.max(1, connectionsPerLoop / Http2Windows.STREAMS_PER_CONNECTION));
    HttpClientBuilder builder = vertx.httpClientBuilder().with(options).with(pool);
    // Each pooled connection's write queue starts at 32 slots instead of Vert.x's 1,024 (4 kB of heap).
    return tls && loop instanceof EventExecutor executor ? Http2ConnectGate.onLoop(builder, WriteQueueTrim::trim, executor)
        : Http2ConnectGate.passThrough(builder, WriteQueueTrim::trim);
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    pools.values().forEach(p -> closing.add(p.close()));
    if (credentials != null) {
      closing.add(credentials.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
