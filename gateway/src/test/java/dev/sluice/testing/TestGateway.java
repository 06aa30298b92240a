package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Ticker;
import dev.sluice.server.Gateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway started in-process from a YAML config on a free loopback port, with an HTTP client
 * that talks to it over real sockets. Event loops are watched: a blocked loop fails {@link #close()}.
 */
public final class TestGateway implements AutoCloseable {
  public static final String KEY = "sk-test-client-key-123";

  private final Vertx vertx;
  private final Gateway gateway;
  /** Start-up and requests alike must never block an event loop inside a blocking call. */
  private final BlockedThreadWatch watch = new BlockedThreadWatch();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestGateway(SluiceConfig config, Ticker ticker) throws Exception {
    this(config, ticker, dev.sluice.observe.RequestObserver.NONE);
  }

  private TestGateway(SluiceConfig config, Ticker ticker, dev.sluice.observe.RequestObserver observer) throws Exception {
    this(config, ticker, observer, new dev.sluice.admin.AdminRoutes());
  }

  private TestGateway(SluiceConfig config, Ticker ticker, dev.sluice.observe.RequestObserver observer,
      dev.sluice.extension.AdminMount admin) throws Exception {
    this(config, ticker, observer, java.util.List.of(admin));
  }

  private TestGateway(SluiceConfig config, Ticker ticker, dev.sluice.observe.RequestObserver observer,
      java.util.List<dev.sluice.extension.AdminMount> admin) throws Exception {
    vertx = Vertx.vertx(BlockedThreadWatch.options(200));
    SluiceConfig isolated = config.storeUrl().endsWith("/sluice.db") || config.storeUrl().equals("sqlite:./sluice.db")
        ? config.withStoreUrl("sqlite:" + java.nio.file.Files.createTempDirectory("sluice-test").resolve("sluice.db"))
        : config;
    gateway = Gateway.start(vertx, isolated.withPort(0), ticker, admin,
            observer)
        .toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  /** With the clock of breakers, budgets and cool-downs under the test's control. */
  public static TestGateway start(String yaml, Ticker ticker) throws Exception {
    return new TestGateway(new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test"), ticker);
  }

  /** With {@code observer} told of every finished request, as the gateway recorded it. */
  public static TestGateway startObserved(String yaml, dev.sluice.observe.RequestObserver observer) throws Exception {
    return new TestGateway(new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test"), Ticker.system(), observer);
  }

  /** With these admin routes (an {@code AdminRoutes} on a clock the test controls). */
  public static TestGateway startWithAdmin(String yaml, dev.sluice.extension.AdminMount admin) throws Exception {
    return new TestGateway(new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test"), Ticker.system(),
        dev.sluice.observe.RequestObserver.NONE, admin);
  }

  /** With the admin API and the web console at {@code /ui}, as {@code sluice serve} mounts them. */
  public static TestGateway startWithConsole(String yaml) throws Exception {
    return new TestGateway(new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test"), Ticker.system(),
        dev.sluice.observe.RequestObserver.NONE,
        java.util.List.of(new dev.sluice.console.ConsoleRoutes(), new dev.sluice.admin.AdminRoutes()));
  }

  /** As {@link #startWithConsole(String)}, with this console (one on a clock the test controls). */
  public static TestGateway startWithConsole(String yaml, dev.sluice.extension.AdminMount console) throws Exception {
    return new TestGateway(new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test"), Ticker.system(),
        dev.sluice.observe.RequestObserver.NONE, java.util.List.of(console, new dev.sluice.admin.AdminRoutes()));
  }

  public static TestGateway start(String yaml) throws Exception {
    return start(yaml, Map.of());
  }

  public static TestGateway start(String yaml, Map<String, String> env) throws Exception {
    return new TestGateway(new ConfigLoader(env::get).parse(yaml, "test"), Ticker.system());
  }

  /** A config with one OpenAI-compatible provider {@code up} at {@code baseUrl} and model {@code chat}. */
  public static String singleProvider(String baseUrl, String extraProviderYaml) {
    return singleProvider(baseUrl, extraProviderYaml, "");
  }

  /** As {@link #singleProvider(String, String)}, with extra keys for the model entry (retries, hedge ...). */
  public static String singleProvider(String baseUrl, String extraProviderYaml, String extraModelYaml) {
    return """
        server: { host: 127.0.0.1, max_body_bytes: 65536 }
        providers:
          - name: up
            type: openai-compatible
            base_url: %s
            api_key: sk-provider-secret-0123456789
        %s
        models:
          - name: chat
            targets: [ { provider: up, model: upstream-model } ]
        %s
        keys:
          - { key: %s, name: tester }
        """.formatted(baseUrl, extraProviderYaml.indent(4).stripTrailing(), extraModelYaml.indent(4).stripTrailing(), KEY);
  }

  public Gateway gateway() {
    return gateway;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + gateway.port() + path;
  }

  public HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with another key (the master key for the admin API, or none with null). */
  public HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET();
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + KEY).header("content-type", "application/json");
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.shutdown(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(watch.warnings()).as("event loops must never block").isEmpty();
    } finally {
      watch.close();
    }
  }
}
