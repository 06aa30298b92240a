package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guarded POST over real sockets on 127.0.0.1: the connection goes to the pinned address while
 * the Host header, SNI and the certificate check use the URL's name; redirects are failed
 * deliveries, never followed; a refused URL opens no connection at all.
 */
class OutboundClientTest {
  private static final String PASSWORD = "changeit";
  @TempDir
  static Path dir;
  private static Path keystore;

  private Vertx vertx;

  /** A receiver's view of what arrived: requests (Host header, SNI, body) and TCP connections. */
  record Seen(String host, String sni, String path, String body) {}

  static final class Receiver {
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    HttpServer server;

    int port() {
      return server.actualPort();
    }
  }

  @BeforeAll
  static void certificate() throws Exception {
    keystore = dir.resolve("hook.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "hook", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=internal.example.test", "-ext", "SAN=dns:internal.example.test", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.await(vertx.close());
  }

  private Receiver receiver(HttpServerOptions options, Consumer<HttpServerRequest> answer) {
    Receiver r = new Receiver();
    r.server = vertx.createHttpServer(options).connectionHandler(c -> r.connections.incrementAndGet())
        .requestHandler(req -> req.body().onSuccess(body -> {
          r.requests.add(new Seen(String.join(",", req.headers().getAll("host")), req.connection().indicatedServerName(), req.uri(),
              body.toString()));
          answer.accept(req);
        }));
    Await.await(r.server.listen(0, "127.0.0.1"));
    return r;
  }

  private Receiver tlsReceiver() {
    return receiver(new HttpServerOptions().setSsl(true).setSni(true)
        .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD)),
        req -> req.response().setStatusCode(204).end());
  }

  private OutboundClient client(List<String> trusted, Map<String, String> names) {
    OutboundResolver resolver = name -> {
      String ip = names.get(name);
      try {
        return ip == null ? Future.failedFuture(new java.net.UnknownHostException(name))
            : Future.succeededFuture(List.of(InetAddress.getByName(ip)));
      } catch (java.net.UnknownHostException e) {
        return Future.failedFuture(e);
      }
    };
    return new OutboundClient(vertx, new OutboundGuard(trusted, resolver), new HttpClientOptions()
        .setTrustOptions(new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD)));
  }

  @Test
  void theConnectionGoesToThePinnedAddressWhileHostHeaderSniAndCertificateUseTheName() {
    Receiver hook = tlsReceiver();
    OutboundClient client = client(List.of("internal.example.test"), Map.of("internal.example.test", "127.0.0.1"));

    Await.await(client.post("https://internal.example.test:" + hook.port() + "/hooks/budget?team=ops#x",
        Buffer.buffer("{\"type\":\"budget_threshold\"}"), "application/json"));

    assertThat(hook.requests).containsExactly(new Seen("internal.example.test:" + hook.port(),
        "internal.example.test", "/hooks/budget?team=ops", "{\"type\":\"budget_threshold\"}"));
  }

  @Test
  void theCertificateIsCheckedAgainstTheUrlsNameNotThePinnedAddress() {
    Receiver hook = tlsReceiver();
    // Pinned to the same server, but the certificate is for internal.example.test, not this name.
    OutboundClient client = client(List.of("other.example.test"), Map.of("other.example.test", "127.0.0.1"));

    Throwable failure = Await.failure(client.post("https://other.example.test:" + hook.port() + "/hook",
        Buffer.buffer("{}"), "application/json"));

    assertThat(failure).isNotInstanceOf(OutboundRefusedException.class);
    assertThat(hook.requests).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void aRedirectIsAFailedDeliveryAndIsNotFollowedEvenToATrustedHost(int status) {
    Receiver elsewhere = receiver(new HttpServerOptions(), req -> req.response().setStatusCode(200).end());
    Receiver hook = receiver(new HttpServerOptions(), req -> req.response().setStatusCode(status)
        .putHeader("location", "http://127.0.0.1:" + elsewhere.port() + "/steal").end());
    OutboundClient client = client(List.of("127.0.0.1"), Map.of());

    Throwable failure = Await.failure(client.post("http://127.0.0.1:" + hook.port() + "/hook", Buffer.buffer("{}"),
        "application/json"));

    assertThat(failure).hasMessageContaining("answered " + status).hasMessageContaining("redirects are not followed");
    assertThat(hook.requests).hasSize(1);
    // The post has failed: had the redirect been followed, that call would have come first.
    assertThat(elsewhere.connections).hasValue(0);
    assertThat(elsewhere.requests).isEmpty();
  }

  @Test
  void aUrlFromTheConfigFileIsSentAsWrittenAndItsRedirectsAreNotFollowedEither() {
    Receiver elsewhere = receiver(new HttpServerOptions(), req -> req.response().setStatusCode(200).end());
    Receiver hook = receiver(new HttpServerOptions(), req -> req.response().setStatusCode(307)
        .putHeader("location", "http://127.0.0.1:" + elsewhere.port() + "/steal").end());
    OutboundClient client = client(List.of(), Map.of());

    Throwable failure = Await.failure(client.postAsConfigured("http://127.0.0.1:" + hook.port() + "/hook",
        Buffer.buffer("{}"), "application/json"));

    assertThat(failure).hasMessageContaining("answered 307");
    assertThat(hook.requests).hasSize(1);
    assertThat(elsewhere.connections).hasValue(0);
  }

  @Test
  void aRefusedUrlOpensNoConnection() {
    Receiver hook = receiver(new HttpServerOptions(), req -> req.response().setStatusCode(200).end());
    OutboundClient client = client(List.of(), Map.of("internal.example.test", "127.0.0.1"));

    for (String url : List.of("https://internal.example.test:" + hook.port() + "/hook",
        "https://127.0.0.1:" + hook.port() + "/hook", "http://127.0.0.1:" + hook.port() + "/hook",
        "https://2130706433:" + hook.port() + "/hook", "https://[::ffff:127.0.0.1]:" + hook.port() + "/hook")) {
      Throwable failure = Await.failure(client.post(url, Buffer.buffer("{}"), "application/json"));
      assertThat(failure).as(url).isInstanceOf(OutboundRefusedException.class);
    }
    assertThat(hook.connections).hasValue(0);
  }

  @Test
  void aTwoHundredIsADeliveryAndAFiveHundredIsNot() {
    Receiver hook = receiver(new HttpServerOptions(),
        req -> req.response().setStatusCode(req.path().equals("/ok") ? 200 : 503).end("ignored body"));
    OutboundClient client = client(List.of("127.0.0.1"), Map.of());

    Await.await(client.post("http://127.0.0.1:" + hook.port() + "/ok", Buffer.buffer("{}"), "application/json"));
    assertThat(Await.failure(client.post("http://127.0.0.1:" + hook.port() + "/down", Buffer.buffer("{}"),
        "application/json"))).hasMessageContaining("answered 503");
  }
}
