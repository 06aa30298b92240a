package dev.sluice.testing;

import dev.sluice.mock.MockUpstream;
import dev.sluice.mock.MockUpstreamOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The built-in mock provider over HTTPS (HTTP/2 by ALPN), on a certificate made for the test class by
 * the JDK's keytool and signed by no authority the JVM knows: a provider's {@code ca_file} names
 * {@link #authority()}. A JUnit extension: {@code @RegisterExtension static final HttpsMock https =
 * new HttpsMock();} starts it (with its own Vert.x) before the class's tests and stops it after.
 */
public final class HttpsMock implements BeforeAllCallback, AfterAllCallback {
  private static final String PASSWORD = "test-only-store";

  private Path dir;
  private Vertx vertx;
  private MockUpstream mock;
  private Path authority;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("sluice-https-mock");
    TestCertificates.SelfSigned certificate = TestCertificates.selfSigned(dir, "mock", PASSWORD);
    authority = certificate.pem();
    vertx = Vertx.vertx();
    mock = MockUpstream.start(vertx, MockUpstreamOptions.builder()
            .tls(new PfxOptions().setPath(certificate.keystore().toString()).setPassword(PASSWORD)).build())
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The Vert.x the mock runs on (for the test's own servers and timers). */
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
}
