package dev.sluice.upstream;

import io.vertx.core.Future;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * Credentials that are not a fixed API key: a token fetched and renewed by the gateway (Google's
 * OAuth access tokens for Vertex AI). The {@link UpstreamClient} asks for them on every call.
 *
 * <p>Thread-safe: called from every event loop. {@link #authorize} must not block; while a valid
 * credential is held it completes at once, so it costs the request path nothing.
 */
public interface UpstreamCredentials {

  /**
   * Adds the credential to {@code options}. Completes when done; waits (without blocking) only when
   * no usable credential is held yet. Fails with a {@link dev.sluice.core.UpstreamFailure} saying
   * why no credential can be had.
   */
  Future<Void> authorize(RequestOptions options);

  /**
   * The provider refused what {@link #authorize} put in {@code options} (401 or 403): renew the
   * credential unless another caller already did, then authorize {@code options} again. The client
   * asks this at most once per call.
   */
  Future<Void> reauthorize(RequestOptions options);

  /**
   * Whether a 401/403 to {@code sent} is worth one renewal and resend: false when the credential it
   * carried is too fresh to be the stale one (the refusal is about permissions, not the token).
   */
  boolean mayRenew(RequestOptions sent);

  /**
   * The secret values this authenticates with now, and those it used just before a rotation (an
   * answer to a call sent before may echo them): the client removes them from error text like its
   * fixed key. Cheap and non-blocking; an unchanged list is returned equal, so the client can keep
   * what it built from it.
   */
  default List<String> secrets() {
    return List.of();
  }

  /** Stops background renewal. */
  Future<Void> close();
}
