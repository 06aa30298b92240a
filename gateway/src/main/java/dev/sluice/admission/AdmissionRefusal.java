package dev.sluice.admission;

import dev.sluice.core.ApiError;
import java.time.Duration;
import java.util.Map;

/**
 * A request refused before any provider is called — over a rate limit, shed by the queue, over a
 * budget, or the gateway at its in-flight limit: the error the client gets, the rate-limit headers
 * to answer with, and how long to wait ({@code retry-after}, whole seconds, at least 1). A value
 * carried as a failed future's cause; it has no stack trace. Immutable.
 */
public final class AdmissionRefusal extends RuntimeException {
  private final transient ApiError error;
  private final transient Map<String, String> headers;
  private final long retryAfterSeconds;

  /** @param retryAfter null for one second */
  public AdmissionRefusal(ApiError error, Map<String, String> headers, Duration retryAfter) {
    super(error.message(), null, false, false);
    this.error = error;
    this.headers = Map.copyOf(headers);
    this.retryAfterSeconds = retryAfter == null ? 1 : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  public ApiError error() {
    return error;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
