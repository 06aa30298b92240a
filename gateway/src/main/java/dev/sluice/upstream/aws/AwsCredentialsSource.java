package dev.sluice.upstream.aws;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The AWS credentials one provider signs with, always at hand: explicit keys, or the SDK's default
 * chain (environment, profile, web identity, container, instance metadata) resolved on a worker
 * thread — the chain may read files and call metadata or STS endpoints, which must never happen on
 * an event loop. Temporary credentials are fetched again five minutes before they expire (or at
 * half their remaining life when that is sooner), long-lived ones every 15 minutes (a rotated
 * profile or mounted token is picked up); a failed fetch is retried after 10 s, keeping credentials
 * that are still valid. {@link #current()} only reads a field. Thread-safe.
 *
 * <p>Nothing here logs a credential: failures are logged by their exception's class and message,
 * which the SDK keeps free of secrets.
 */
public final class AwsCredentialsSource {
  private static final Logger LOG = LoggerFactory.getLogger(AwsCredentialsSource.class);
  static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
  static final Duration STATIC_REFRESH = Duration.ofMinutes(15);
  static final Duration RETRY = Duration.ofSeconds(10);
  private static final Duration MIN_DELAY = Duration.ofSeconds(5);

  private final String name;
  private final Vertx vertx;
  private final AwsCredentialsProvider provider;
  private final Clock clock;
  private final Duration retry;
  private volatile AwsCredentialsIdentity current;
  /** The values of the current credentials, then those of the ones before a change (for redaction). */
  private volatile List<String> secrets = List.of();
  private volatile boolean closed;
  private volatile long timer = -1;

  private AwsCredentialsSource(String name, Vertx vertx, AwsCredentialsProvider provider, Clock clock,
      AwsCredentialsIdentity fixed, Duration retry) {
    this.name = name;
    this.retry = retry;
    this.vertx = vertx;
    this.provider = provider;
    this.clock = clock;
    this.current = fixed;
    this.secrets = fixed == null ? List.of() : values(fixed);
  }

  /** Explicit keys ({@code sessionToken} may be null): nothing to fetch, ever. */
  public static AwsCredentialsSource fixed(String provider, String accessKeyId, String secretAccessKey,
      String sessionToken) {
    AwsCredentialsIdentity identity = sessionToken == null
        ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
        : software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey,
            sessionToken);
    return new AwsCredentialsSource(provider, null, null, Clock.systemUTC(), identity, RETRY);
  }

  /** The SDK's default chain; call {@link #start()} before use. */
  public static AwsCredentialsSource defaultChain(String provider, Vertx vertx) {
    return polling(provider, vertx, DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
  }

  /** Any SDK provider, fetched on workers and refreshed ahead of expiry (tests pass their own). */
  public static AwsCredentialsSource polling(String provider, Vertx vertx, AwsCredentialsProvider source, Clock clock) {
    return polling(provider, vertx, source, clock, RETRY);
  }

  /** With {@code retry} between failed fetches (tests shorten it). */
  static AwsCredentialsSource polling(String provider, Vertx vertx, AwsCredentialsProvider source, Clock clock,
      Duration retry) {
    return new AwsCredentialsSource(provider, Objects.requireNonNull(vertx), Objects.requireNonNull(source),
        Objects.requireNonNull(clock), null, retry);
  }

  /**
   * Fetches the first credentials (on a worker). Always succeeds: without credentials the gateway
   * still starts, its calls to this provider fail with an auth error and the fetch is retried.
   */
  public Future<Void> start() {
    if (provider == null) {
      return Future.succeededFuture();
    }
    return refresh();
  }

  /**
   * The credentials to sign with now.
   *
   * @throws UpstreamFailure (auth, status 0) when none could be fetched, or the last expired
   */
  public AwsCredentialsIdentity current() {
    AwsCredentialsIdentity c = current;
    if (c == null || c.expirationTime().map(e -> !e.isAfter(clock.instant())).orElse(false)) {
      throw new UpstreamFailure(UpstreamError.of(ErrorClass.AUTH, 0,
          "no usable AWS credentials for provider '" + name + "' (see the gateway log)"));
    }
    return c;
  }

  /**
   * The key id, secret key and session token of the current credentials, then those of the previous
   * ones (an answer to a request signed before a rotation may echo them): what the upstream client
   * redacts from error text. Equal from call to call while the credentials do not change.
   */
  public List<String> secrets() {
    return secrets;
  }

  private synchronized void replace(AwsCredentialsIdentity fresh) {
    List<String> now = values(fresh);
    List<String> before = secrets;
    if (!before.subList(0, Math.min(before.size(), now.size())).equals(now)) {
      List<String> both = new ArrayList<>(now);
      before.stream().filter(v -> !now.contains(v)).limit(3).forEach(both::add);
      secrets = List.copyOf(both);
    }
    current = fresh;
  }

  private static List<String> values(AwsCredentialsIdentity c) {
    List<String> out = new ArrayList<>(3);
    out.add(c.accessKeyId());
    out.add(c.secretAccessKey());
    if (c instanceof AwsSessionCredentialsIdentity s) {
      out.add(s.sessionToken());
    }
    out.removeIf(Objects::isNull);
    return List.copyOf(out);
  }

  public void close() {
    closed = true;
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private Future<Void> refresh() {
    return vertx.<AwsCredentialsIdentity>executeBlocking(provider::resolveCredentials, false)
        .map(fresh -> {
          replace(fresh);
          schedule(delayFor(fresh));
          return (Void) null;
        })
        .recover(failure -> {
          LOG.warn("Provider '{}': could not fetch AWS credentials ({}: {}); retrying in {} s", name,
              failure.getClass().getSimpleName(), failure.getMessage(), retry.toMillis() / 1000.0);
          schedule(retry);
          return Future.succeededFuture();
        });
  }

  /** How long until the next fetch of credentials like {@code fresh}. */
  Duration delayFor(AwsCredentialsIdentity fresh) {
    Instant expiry = fresh.expirationTime().orElse(null);
    if (expiry == null) {
      return STATIC_REFRESH;
    }
    Duration left = Duration.between(clock.instant(), expiry);
    Duration ahead = left.minus(REFRESH_AHEAD);
    Duration half = left.dividedBy(2);
    Duration delay = ahead.compareTo(half) < 0 ? ahead : half;
    delay = delay.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : delay;
    return delay.compareTo(STATIC_REFRESH) > 0 ? STATIC_REFRESH : delay;
  }

  private void schedule(Duration delay) {
    if (!closed) {
      timer = vertx.setTimer(delay.toMillis(), id -> refresh());
    }
  }
}
