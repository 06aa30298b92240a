package dev.sluice.tenancy;

import dev.sluice.core.ApiError;
import io.vertx.core.Future;

/**
 * What checking a presented client key decided: the caller, or why it is refused. Immutable. The
 * results of static and cached keys are made once and handed out again on every request, each with
 * its already-completed {@link #future()}, so the cached path of authentication allocates nothing
 * of its own.
 */
public final class AuthResult {
  static final AuthResult UNKNOWN = refused(ApiError.unauthorized("Incorrect API key provided"));
  static final AuthResult REVOKED = refused(new ApiError(401, "authentication_error", "key_revoked", null,
      "This API key has been revoked"));
  static final AuthResult EXPIRED = refused(new ApiError(401, "authentication_error", "key_expired", null,
      "This API key has expired"));
  /** The key store could not be asked (a failure is never cached: the next request asks again). */
  public static final AuthResult UNAVAILABLE = refused(new ApiError(503, "server_error", "key_store_unavailable", null,
      "Sluice could not check the API key right now; retry shortly"));
  /** Too many uncached keys are being looked up at once (a flood of unknown keys). */
  static final AuthResult BUSY = refused(new ApiError(503, "server_error", "key_lookups_busy", null,
      "Too many API keys are being checked at once; retry shortly"));

  private final Principal principal;
  private final ApiError refusal;
  private final Future<AuthResult> future;

  private AuthResult(Principal principal, ApiError refusal) {
    this.principal = principal;
    this.refusal = refusal;
    this.future = Future.succeededFuture(this);
  }

  static AuthResult accepted(Principal principal) {
    return new AuthResult(java.util.Objects.requireNonNull(principal, "principal"), null);
  }

  private static AuthResult refused(ApiError error) {
    return new AuthResult(null, error);
  }

  /** The caller, or null when refused. */
  public Principal principal() {
    return principal;
  }

  /** Why the key is refused, or null when accepted. */
  public ApiError refusal() {
    return refusal;
  }

  public boolean accepted() {
    return principal != null;
  }

  /** This result as a completed future (the same instance every time). */
  Future<AuthResult> future() {
    return future;
  }

  @Override
  public String toString() {
    return accepted() ? "AuthResult[" + principal.name() + "]" : "AuthResult[" + refusal.code() + "]";
  }
}
