package dev.sluice.upstream.google;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.Ticker;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.upstream.UpstreamCredentials;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Google OAuth access token kept fresh in the background, as {@code Authorization: Bearer} on
 * every call to one provider. The first token is fetched at start; afterwards a check every
 * {@code checkMs} (real time) compares the injected {@link Ticker} against the token's refresh
 * point (five minutes before expiry, or half its life if shorter) and fetches the next one — so no
 * request ever waits for a refresh. Only a request arriving when no unexpired token is held waits,
 * and it waits on the fetch already under way: there is never more than one fetch at a time.
 *
 * <p>A failed fetch keeps the old token while it lasts and is retried with backoff (1 s doubling to
 * 60 s). A request that finds no token while the next retry is not yet due fails at once with the
 * last reason, rather than sending the token endpoint one fetch per request. A 401/403 answer to a
 * token at least {@link #MIN_AGE_TO_RENEW} old renews it once and the call is resent; a younger
 * token is not renewed again (a 403 for a missing IAM role must not turn every call into a fetch).
 *
 * <p>Thread-safe: requests on every event loop read one volatile field; the rest is under a lock
 * held for a few field writes. Waiters continue on their own context.
 */
public final class GoogleTokens implements UpstreamCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(GoogleTokens.class);
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
  static final Duration MIN_AGE_TO_RENEW = Duration.ofSeconds(30);
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(60).toNanos();

  /** A token as held: the header value and, on the ticker, when it was received, is to be refreshed and expires. */
  private record Held(String header, long receivedAt, long refreshAt, long expiresAt) {}

  private final Vertx vertx;
  private final String provider;
  private final GoogleCredential credential;
  private final GoogleTokenGrant grant;
  private final Ticker ticker;
  private final long timerId;
  private volatile Held current;
  /** The current token and the one before it, for redaction (see {@link #secrets()}). */
  private volatile List<String> secrets = List.of();
  // Guarded by this.
  private Future<Held> inFlight;
  private int failures;
  private long retryAt;
  private String lastError = "no token fetched yet";
  private boolean closed;

  GoogleTokens(Vertx vertx, String provider, GoogleCredential credential, GoogleTokenGrant grant, Ticker ticker,
      long checkMs) {
    this.vertx = vertx;
    this.provider = provider;
    this.credential = credential;
    this.grant = grant;
    this.ticker = ticker;
    fetch();
    this.timerId = vertx.setPeriodic(checkMs, id -> maintain());
  }

  /**
   * Finds the credential ({@link ApplicationDefaultCredentials}, on a worker: it reads files) and starts
   * keeping a token. Fails only when a named credentials file is unusable; a metadata server that does
   * not answer leaves the provider failing its calls with that reason until it does.
   *
   * @param credentialsFile the provider's {@code credentials_file}, or null
   * @param metadataUrl {@link ApplicationDefaultCredentials#METADATA_URL} except in tests
   */
  public static Future<GoogleTokens> start(Vertx vertx, String provider, String credentialsFile,
      Function<String, String> env, String metadataUrl, Ticker ticker, Clock clock, long checkMs) {
    return vertx.executeBlocking(() -> ApplicationDefaultCredentials.find(credentialsFile, env, metadataUrl))
        .recover(e -> Future.failedFuture(new IllegalArgumentException(
            "provider '" + provider + "': " + e.getMessage(), e)))
        .map(c -> {
          LOG.info("Provider '{}' authenticates to Google as {}", provider, c);
          return new GoogleTokens(vertx, provider, c, new GoogleTokenGrant(vertx, clock), ticker, checkMs);
        });
  }

  @Override
  public Future<Void> authorize(RequestOptions options) {
    Held h = current;
    if (h != null && ticker.nanos() - h.expiresAt < 0) {
      options.putHeader("Authorization", h.header);
      return Future.succeededFuture();
    }
    Future<Held> pending;
    synchronized (this) {
      h = current; // the fetch may have finished since the read above: then it is the token to use
      pending = h != null && ticker.nanos() - h.expiresAt < 0 ? Future.succeededFuture(h) : inFlight;
      if (pending == null) {
        if (failures > 0 && ticker.nanos() - retryAt < 0) {
          return Future.failedFuture(unavailable());
        }
        pending = fetch();
      }
    }
    return await(pending, options);
  }

  @Override
  public Future<Void> reauthorize(RequestOptions options) {
    String sent = options.getHeaders() == null ? null : options.getHeaders().get("Authorization");
    Future<Held> pending;
    synchronized (this) {
      Held h = current;
      pending = h != null && !h.header.equals(sent) ? Future.succeededFuture(h) : fetch();
    }
    return await(pending, options);
  }

  @Override
  public boolean mayRenew(RequestOptions sent) {
    Held h = current;
    String header = sent.getHeaders() == null ? null : sent.getHeaders().get("Authorization");
    return h == null || !h.header.equals(header) || ticker.nanos() - h.receivedAt - MIN_AGE_TO_RENEW.toNanos() >= 0;
  }

  /** The token held now and the one it replaced (a call sent with that one may still answer). */
  @Override
  public List<String> secrets() {
    return secrets;
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      closed = true;
    }
    vertx.cancelTimer(timerId);
    return grant.close();
  }

  /** The periodic check: a fetch when the token is due for refresh (or missing) and no retry is pending. */
  void maintain() {
    synchronized (this) {
      if (closed || inFlight != null) {
        return;
      }
      long now = ticker.nanos();
      Held h = current;
      boolean due = h == null || now - h.refreshAt >= 0;
      if (due && (failures == 0 || now - retryAt >= 0)) {
        fetch();
      }
    }
  }

  /** The fetch under way, or a new one. Callers hold the lock (or are the constructor). */
  private synchronized Future<Held> fetch() {
    if (inFlight != null) {
      return inFlight;
    }
    Future<Held> f = grant.fetch(credential).map(t -> {
      long now = ticker.nanos();
      long life = Duration.ofSeconds(t.lifetimeSeconds()).toNanos();
      long margin = Math.min(REFRESH_MARGIN.toNanos(), life / 2);
      return new Held("Bearer " + t.value(), now, now + life - margin, now + life);
    });
    inFlight = f;
    f.onComplete(ar -> done(f, ar.succeeded() ? ar.result() : null, ar.cause()));
    return f;
  }

  private synchronized void done(Future<Held> f, Held token, Throwable failure) {
    if (inFlight == f) {
      inFlight = null;
    }
    if (token != null) {
      if (failures > 0 || current == null) {
        LOG.info("Provider '{}' has a Google access token", provider);
      }
      String fresh = token.header.substring("Bearer ".length());
      if (current == null || !current.header.equals(token.header)) {
        secrets = current == null ? List.of(fresh) : List.of(fresh, current.header.substring("Bearer ".length()));
      }
      current = token;
      failures = 0;
      return;
    }
    failures++;
    long backoff = Math.min(MAX_BACKOFF_NANOS, Duration.ofSeconds(1).toNanos() << Math.min(failures - 1, 6));
    retryAt = ticker.nanos() + backoff;
    lastError = failure.getMessage();
    LOG.warn("Provider '{}': {}; {}, next try in {} s", provider, lastError,
        current != null && ticker.nanos() - current.expiresAt < 0 ? "the current token is kept" : "no token held",
        backoff / 1_000_000_000L);
  }

  /** Completes on the caller's own context once {@code pending} does, with the header set. */
  private Future<Void> await(Future<Held> pending, RequestOptions options) {
    Context caller = Vertx.currentContext();
    Promise<Void> out = Promise.promise();
    pending.onComplete(ar -> {
      Runnable finish = () -> {
        if (ar.succeeded()) {
          options.putHeader("Authorization", ar.result().header);
          out.complete();
        } else {
          synchronized (this) {
            out.fail(unavailable());
          }
        }
      };
      if (caller == null || caller == Vertx.currentContext()) {
        finish.run();
      } else {
        caller.runOnContext(v -> finish.run());
      }
    });
    return out.future();
  }

  /** Why calls fail while no token is held; the credential's origin and the token endpoint's reason, never a secret. */
  private UpstreamFailure unavailable() {
    return new UpstreamFailure(UpstreamError.of(ErrorClass.AUTH, 0,
        "Provider '" + provider + "' has no Google access token: " + lastError));
  }

  /** Whether a fetch is under way (for tests). */
  synchronized boolean fetching() {
    return inFlight != null;
  }

  /** How many fetches failed in a row (for tests and health). */
  synchronized int failures() {
    return failures;
  }
}
