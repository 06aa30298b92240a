package dev.sluice.console;

import dev.sluice.extension.ConsoleSession;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The console's sessions: issues them as the {@value #COOKIE} cookie, reads and verifies them from
 * a request, and refuses the ones signed out ({@link #signOut}) until they would have expired — so a
 * copy of a signed-out cookie, replayed, no longer works. The list of signed-out ids is this
 * process's: with several replicas, a signed-out session still works on another one until it
 * expires (the cookie itself is cleared in the browser).
 *
 * <p>Thread-safe: one instance serves every event loop (the signed-out ids are shared).
 */
final class ConsoleSessions {
  static final String COOKIE = "sluice_session";

  private final SessionTokens tokens;
  private final Clock clock;
  private final Duration ttl;
  private final RandomGenerator random;
  private final Map<String, Instant> signedOut = new ConcurrentHashMap<>();

  ConsoleSessions(SessionTokens tokens, Clock clock, Duration ttl, RandomGenerator random) {
    this.tokens = tokens;
    this.clock = clock;
    this.ttl = ttl;
    this.random = random;
  }

  /** A new session for the master key (null key) or a client key, set as the response's cookie. */
  ConsoleSession issue(RoutingContext ctx, ConsoleSession.Role role, String keyHash, String keyName) {
    byte[] idBytes = new byte[16];
    random.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    Instant expires = clock.instant().plus(ttl);
    String token = tokens.sign(id, role, keyHash, keyName, expires);
    ctx.response().addCookie(cookie(ctx.request(), token).setMaxAge(ttl.toSeconds()));
    return new ConsoleSession(id, role, keyHash, keyName, expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        tokens.csrf(id));
  }

  /**
   * The request's session: its cookie verified (signature, expiry) and not signed out; null when
   * there is none. Ignores whether a key header was sent: callers decide which wins.
   */
  ConsoleSession read(HttpServerRequest request) {
    Cookie c = request.getCookie(COOKIE);
    if (c == null) {
      return null;
    }
    ConsoleSession s = tokens.verify(c.getValue(), clock.instant());
    return s == null || signedOut.containsKey(s.id()) ? null : s;
  }

  /**
   * Routes {@code /admin/*} and {@code /v1/sluice/*} run this first: with no key header, a valid
   * session goes on the context for the admin guard and the tenant routes' authentication.
   */
  void attach(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (req.getHeader("authorization") == null && req.getHeader("x-api-key") == null) {
      ConsoleSession s = read(req);
      if (s != null) {
        ctx.put(ConsoleSession.KEY, s);
      }
    }
    ctx.next();
  }

  /** Ends {@code session} here (its id refused until it expires) and clears the cookie. */
  void signOut(RoutingContext ctx, ConsoleSession session) {
    Instant now = clock.instant();
    signedOut.values().removeIf(expiry -> !now.isBefore(expiry)); // an expired session is refused anyway
    signedOut.put(session.id(), session.expiresAt());
    ctx.response().addCookie(cookie(ctx.request(), "").setMaxAge(0));
  }

  /** What the cookie-clearing and issuing share: HttpOnly, SameSite=Strict, Path=/, Secure over TLS. */
  private static Cookie cookie(HttpServerRequest req, String value) {
    return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(overTls(req));
  }

  /**
   * Whether the browser reached us over TLS: directly, or through a proxy that terminated it and
   * says so in {@code X-Forwarded-Proto} (trusting that header can only add Secure, never remove it).
   */
  static boolean overTls(HttpServerRequest req) {
    return req.isSSL() || "https".equalsIgnoreCase(req.getHeader("x-forwarded-proto"));
  }

  Duration ttl() {
    return ttl;
  }
}
