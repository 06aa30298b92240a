package dev.sluice.upstream.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeGoogleAuth;
import dev.sluice.testing.FakeTicker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GoogleTokensTest {
  private static final Duration BOUND = Duration.ofSeconds(20);

  @RegisterExtension
  final FakeGoogleAuth google = new FakeGoogleAuth();
  final FakeTicker ticker = new FakeTicker();
  final Map<String, String> env = new HashMap<>();
  Vertx vertx;
  GoogleTokens tokens;
  Path home;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    home = Files.createTempDirectory("home-without-gcloud");
    env.put("HOME", home.toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (tokens != null) {
      Await.await(tokens.close());
    }
    Await.await(vertx.close());
    Files.deleteIfExists(home);
  }

  private GoogleTokens start(String credentialsFile, String metadataUrl) {
    tokens = Await.await(GoogleTokens.start(vertx, "vertex", credentialsFile, env::get, metadataUrl, ticker,
        Clock.systemUTC(), 20));
    return tokens;
  }

  private GoogleTokens startWithServiceAccount() throws Exception {
    env.put("GOOGLE_APPLICATION_CREDENTIALS", google.serviceAccountFile().toString());
    return start(null, google.baseUrl());
  }

  private static String header(RequestOptions o) {
    return o.getHeaders().get("Authorization");
  }

  private String authorizedHeader() {
    RequestOptions o = new RequestOptions();
    Await.await(tokens.authorize(o));
    return header(o);
  }

  @Test
  void serviceAccountKeyIsExchangedForATokenThroughAnRs256SignedJwt() throws Exception {
    startWithServiceAccount();

    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    assertThat(google.refusals()).as("the fake verified the signature and claims").isEmpty();
    assertThat(google.grants()).singleElement()
        .satisfies(g -> assertThat(g.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer"));
  }

  @Test
  void explicitCredentialsFileWinsOverTheEnvironment() throws Exception {
    env.put("GOOGLE_APPLICATION_CREDENTIALS", home.resolve("nowhere.json").toString());
    start(google.authorizedUserFile().toString(), google.baseUrl());

    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    assertThat(google.grants()).singleElement().satisfies(g -> {
      assertThat(g.get("grant_type")).isEqualTo("refresh_token");
      assertThat(g.get("refresh_token")).isEqualTo(FakeGoogleAuth.REFRESH_TOKEN);
    });
  }

  @Test
  void gcloudLoginIsFoundInTheGcloudConfigDirectory() throws Exception {
    env.put("CLOUDSDK_CONFIG", google.authorizedUserFile().getParent().toString());
    start(null, "http://127.0.0.1:1");

    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    assertThat(google.grants()).singleElement()
        .satisfies(g -> assertThat(g.get("grant_type")).isEqualTo("refresh_token"));
  }

  @Test
  void metadataServerIsAskedWhenNoCredentialsFileIsFound() {
    start(null, google.baseUrl());

    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    assertThat(google.refusals()).as("asked with Metadata-Flavor: Google").isEmpty();
    assertThat(google.grants()).as("no token_uri POST").isEmpty();
  }

  @Test
  void aNamedCredentialsFileThatIsMissingFailsTheStartNamingIt() {
    env.put("GOOGLE_APPLICATION_CREDENTIALS", "/no/such/key.json");

    assertThatThrownBy(() -> start(null, google.baseUrl()))
        .hasMessageContaining("provider 'vertex'").hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS=/no/such/key.json");
  }

  @Test
  void noCredentialAnywhereFailsCallsWithAClearAuthError() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    start(null, "http://127.0.0.1:" + closedPort);

    Throwable failure = Await.failure(tokens.authorize(new RequestOptions()));

    assertThat(failure).isInstanceOf(UpstreamFailure.class);
    assertThat(((UpstreamFailure) failure).error().errorClass()).isEqualTo(ErrorClass.AUTH);
    assertThat(failure.getMessage()).contains("Provider 'vertex' has no Google access token")
        .contains("metadata server").contains("GOOGLE_APPLICATION_CREDENTIALS");
  }

  @Test
  void refreshesInTheBackgroundBeforeExpiryWhileRequestsKeepTheCurrentToken() throws Exception {
    startWithServiceAccount();
    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    google.hold();

    ticker.advance(Duration.ofSeconds(3600).minus(GoogleTokens.REFRESH_MARGIN));
    Await.until("the background refresh reached the token endpoint", () -> google.requestCount() == 2, BOUND);

    RequestOptions during = new RequestOptions();
    Future<Void> f = tokens.authorize(during);
    assertThat(f.isComplete()).as("a request never waits for a refresh").isTrue();
    assertThat(header(during)).isEqualTo("Bearer " + FakeGoogleAuth.token(1));

    google.release();
    Await.until("the refreshed token is in use", () -> authorizedHeader().equals("Bearer " + FakeGoogleAuth.token(2)),
        BOUND);
    assertThat(google.requestCount()).isEqualTo(2);
  }

  @Test
  void aFailedRefreshKeepsTheOldTokenAndIsRetriedWithBackoff() throws Exception {
    startWithServiceAccount();
    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    google.failNext(1);

    ticker.advance(Duration.ofSeconds(3600).minus(GoogleTokens.REFRESH_MARGIN));
    Await.until("the refresh failed", () -> tokens.failures() == 1 && !tokens.fetching(), BOUND);
    assertThat(authorizedHeader()).as("the old token, still valid").isEqualTo("Bearer " + FakeGoogleAuth.token(1));

    tokens.maintain();
    assertThat(tokens.fetching()).as("no retry before the backoff has passed").isFalse();

    ticker.advance(Duration.ofSeconds(1));
    Await.until("the retry got a new token", () -> google.issued() == 2 && tokens.failures() == 0, BOUND);
    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(2));
    assertThat(google.requestCount()).isEqualTo(3);
  }

  @Test
  void anExpiredTokenIsNotUsedAndCallsFailFastWhileTheRetryIsNotDue() throws Exception {
    startWithServiceAccount();
    assertThat(authorizedHeader()).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    google.failNext(100);

    ticker.advance(Duration.ofSeconds(3600));
    Await.until("the refresh failed", () -> tokens.failures() >= 1 && !tokens.fetching(), BOUND);
    int asked = google.requestCount();

    Throwable failure = Await.failure(tokens.authorize(new RequestOptions()));

    assertThat(failure.getMessage()).contains("has no Google access token").contains("answered 500")
        .contains("internal_failure");
    assertThat(google.requestCount()).as("no fetch per request during the backoff").isEqualTo(asked);
  }

  @Test
  void concurrentFirstRequestsWaitOnOneFetchAndContinueOnTheirOwnContexts() throws Exception {
    google.hold();
    startWithServiceAccount();
    Await.until("the first fetch is under way", () -> google.requestCount() == 1, BOUND);

    List<Future<Boolean>> waiting = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Context context = vertx.getOrCreateContext();
      io.vertx.core.Promise<Boolean> onOwnContext = io.vertx.core.Promise.promise();
      context.runOnContext(v -> {
        RequestOptions o = new RequestOptions();
        tokens.authorize(o).onComplete(ar -> onOwnContext.complete(ar.succeeded()
            && Vertx.currentContext() == context && header(o).equals("Bearer " + FakeGoogleAuth.token(1))));
      });
      waiting.add(onOwnContext.future());
    }
    assertThat(waiting).noneMatch(Future::isComplete);

    google.release();

    for (Future<Boolean> w : waiting) {
      assertThat(Await.await(w)).as("authorized with the first token, on the caller's context").isTrue();
    }
    assertThat(google.requestCount()).as("one fetch for all of them").isEqualTo(1);
  }

  @Test
  void aRejectedTokenIsRenewedOnceUnlessItIsFreshOrAlreadyReplaced() throws Exception {
    startWithServiceAccount();
    RequestOptions sent = new RequestOptions();
    Await.await(tokens.authorize(sent));

    assertThat(tokens.mayRenew(sent)).as("a token seconds old is not the stale one").isFalse();
    ticker.advance(GoogleTokens.MIN_AGE_TO_RENEW);
    assertThat(tokens.mayRenew(sent)).isTrue();

    Await.await(tokens.reauthorize(sent));
    assertThat(header(sent)).isEqualTo("Bearer " + FakeGoogleAuth.token(2));

    RequestOptions other = new RequestOptions().putHeader("Authorization", "Bearer " + FakeGoogleAuth.token(1));
    assertThat(tokens.mayRenew(other)).isTrue();
    Await.await(tokens.reauthorize(other));
    assertThat(header(other)).as("another call already renewed it").isEqualTo("Bearer " + FakeGoogleAuth.token(2));
    assertThat(google.requestCount()).isEqualTo(2);
  }
}
