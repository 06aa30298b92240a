package dev.sluice.upstream.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.testing.Await;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsCredentialsSourceTest {
  private static final Instant NOW = Instant.parse("2026-12-05T02:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.await(vertx.close());
  }

  private static AwsCredentials expiringAt(Instant expiry) {
    return AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secret").sessionToken("token")
        .expirationTime(expiry).build();
  }

  @Test
  void theChainIsAskedOnAWorkerAndAFailureIsRetriedUntilCredentialsCome() {
    AtomicInteger calls = new AtomicInteger();
    List<String> threads = new CopyOnWriteArrayList<>();
    AwsCredentialsProvider flaky = () -> {
      threads.add(Thread.currentThread().getName());
      if (calls.incrementAndGet() < 3) {
        throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
      }
      return expiringAt(NOW.plus(Duration.ofHours(1)));
    };
    AwsCredentialsSource source = AwsCredentialsSource.polling("aws", vertx, flaky, CLOCK, Duration.ofMillis(20));

    Await.await(source.start()); // starts even though the first fetch failed
    if (calls.get() < 3) {
      assertThatThrownBy(source::current).isInstanceOfSatisfying(UpstreamFailure.class,
          f -> assertThat(f.error().errorClass()).isEqualTo(ErrorClass.AUTH));
    }
    Await.until("credentials after two failed fetches", () -> calls.get() >= 3, Duration.ofSeconds(10));
    Await.until("the fetched credentials in use", () -> {
      try {
        return source.current().accessKeyId().equals("ASIAEXAMPLE");
      } catch (UpstreamFailure notYet) {
        return false;
      }
    }, Duration.ofSeconds(10));
    assertThat(threads).allSatisfy(t -> assertThat(t).doesNotContain("eventloop"));
    source.close();
  }

  @Test
  void expiredCredentialsAreNotUsed() {
    AwsCredentialsSource source = AwsCredentialsSource.polling("aws", vertx,
        () -> expiringAt(NOW.minusSeconds(1)), CLOCK, Duration.ofHours(1));
    Await.await(source.start());
    assertThatThrownBy(source::current).isInstanceOf(UpstreamFailure.class).hasMessageContaining("'aws'");
    source.close();
  }

  @Test
  void temporaryCredentialsAreFetchedAgainAheadOfExpiryAndLongLivedOnesNowAndThen() {
    AwsCredentialsSource source = AwsCredentialsSource.polling("aws", vertx, () -> null, CLOCK, Duration.ofHours(1));
    assertThat(source.delayFor(expiringAt(NOW.plus(Duration.ofMinutes(20))))).isEqualTo(Duration.ofMinutes(10));
    assertThat(source.delayFor(expiringAt(NOW.plus(Duration.ofMinutes(12))))).isEqualTo(Duration.ofMinutes(6));
    assertThat(source.delayFor(expiringAt(NOW.plus(Duration.ofMinutes(8))))).isEqualTo(Duration.ofMinutes(3));
    assertThat(source.delayFor(expiringAt(NOW.plus(Duration.ofMinutes(2))))).isEqualTo(Duration.ofSeconds(5));
    assertThat(source.delayFor(expiringAt(NOW.plus(Duration.ofHours(6))))).isEqualTo(AwsCredentialsSource.STATIC_REFRESH);
    assertThat(source.delayFor(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIA", "s")))
        .isEqualTo(AwsCredentialsSource.STATIC_REFRESH);
  }

  @Test
  void explicitKeysNeedNoFetching() {
    AwsCredentialsSource source = AwsCredentialsSource.fixed("aws", "AKIAEXAMPLE", "secret", null);
    Await.await(source.start());
    assertThat(source.current().accessKeyId()).isEqualTo("AKIAEXAMPLE");
    assertThat(source.current().secretAccessKey()).isEqualTo("secret");
  }

  /**
   * The default chain's web-identity step (EKS IRSA) loads its STS client by reflection and the STS
   * client finds its HTTP client by service loader: both must be on the class path, and only the
   * JDK-based HTTP client (two would make the SDK refuse to choose).
   */
  @Test
  void theWebIdentityStepFindsStsAndExactlyOneHttpClient() throws Exception {
    assertThat(Class.forName("software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory"))
        .isNotNull();
    List<String> clients = new java.util.ArrayList<>();
    java.util.ServiceLoader.load(software.amazon.awssdk.http.SdkHttpService.class)
        .forEach(s -> clients.add(s.getClass().getName()));
    assertThat(clients).containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
  }
}
