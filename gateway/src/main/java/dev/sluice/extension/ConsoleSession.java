package dev.sluice.extension;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Set;

/**
 * A signed-in web console session, as the console found it in the request's {@code sluice_session}
 * cookie: verified (signature, expiry, not signed out) before it is put on the routing context under
 * {@link #KEY}. The console puts it there only on {@code /admin/*} and {@code /v1/sluice/*}, and only
 * when the request carries no {@code Authorization} or {@code x-api-key} header: a header always wins.
 *
 * <p>The admin guard accepts an {@link Role#ADMIN} session, the tenant routes a {@link Role#CLIENT}
 * session (after checking its key through the auth cache, so a revoked key's session stops at once).
 * A write made with the cookie must carry the session's CSRF token in {@value #CSRF_HEADER}
 * ({@link #writeAllowed}); a write with a header key needs none. Immutable.
 *
 * @param id random session id (hex); signed-out ids are refused until they expire
 * @param role admin (the master key) or client (a client key, read-only, its own data)
 * @param keyHash the client key's SHA-256 in hex (null for an admin session)
 * @param keyName the client key's name (null for an admin session)
 * @param expiresAt when the session ends
 * @param csrf the token a write made with this session must carry
 */
public record ConsoleSession(String id, Role role, String keyHash, String keyName, Instant expiresAt, String csrf) {
  /** The routing-context key a verified session is put under. */
  public static final String KEY = "sluice.console.session";
  /** The request header a cookie-authenticated write carries its CSRF token in. */
  public static final String CSRF_HEADER = "x-csrf-token";
  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);

  public enum Role { ADMIN, CLIENT }

  public boolean admin() {
    return role == Role.ADMIN;
  }

  /** True for a read; for a write only when it carries this session's CSRF token (compared in constant time). */
  public boolean writeAllowed(HttpServerRequest request) {
    return !WRITES.contains(request.method()) || csrfMatches(request.getHeader(CSRF_HEADER));
  }

  /** Whether {@code presented} is this session's CSRF token, in constant time. */
  public boolean csrfMatches(String presented) {
    return presented != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Who acted, for the audit log: {@code console:} and the first 8 characters of the session id. */
  public String actor() {
    return "console:" + id.substring(0, Math.min(8, id.length()));
  }

  @Override
  public String toString() {
    return "ConsoleSession[" + actor() + ", " + role + (keyName == null ? "" : ", " + keyName) + ", until " + expiresAt
        + "]";
  }
}
