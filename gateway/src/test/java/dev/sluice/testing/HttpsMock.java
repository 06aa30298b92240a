package dev.sluice.testing;

import dev.sluice.mock.MockUpstream;
import dev.sluice.mock.MockUpstreamOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The built-in mock provider over HTTPS (HTTP/2 by ALPN), on a certificate made for the test by the
 * JDK's keytool and signed by no authority the JVM knows: a provider's {@code ca_file} names
 * {@link #authority()}. Owns its Vert.x; {@link #close()} stops both.
 */
public final class HttpsMock implements AutoCloseable {
  private static final String PASSWORD = "test-only-store";

  private final Vertx vertx;
  private final MockUpstream mock;
  private final Path authority;

  private HttpsMock(Vertx vertx, MockUpstream mock, Path authority) {
    this.vertx = vertx;
    this.mock = mock;
    this.authority = authority;
  }

  /** Starts it with its certificate files in {@code dir}. */
  public static HttpsMock start(Path dir) throws Exception {
    TestCertificates.SelfSigned certificate = TestCertificates.selfSigned(dir, "mock", PASSWORD);
    Vertx vertx = Vertx.vertx();
    MockUpstream mock = MockUpstream.start(vertx, MockUpstreamOptions.builder()
            .tls(new PfxOptions().setPath(certificate.keystore().toString()).setPassword(PASSWORD)).build())
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return new HttpsMock(vertx, mock, certificate.pem());
  }

  public Vertx vertx() {
    return vertx;
  }

  public MockUpstream mock() {
    return mock;
  }

  /** The PEM certificate to trust for it. */
  public Path authority() {
    return authority;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
