package dev.sluice.observe.requestlog;

/**
 * What the request log keeps of one request's bodies, already redacted and cut (see
 * {@link BodyPolicy}). Immutable.
 *
 * @param request the request body as received; null when none
 * @param response the answer as sent (a stream's SSE text); null when none was sent
 * @param requestTruncated whether the request was cut
 * @param responseTruncated whether the answer was cut
 */
public record CapturedBodies(String request, String response, boolean requestTruncated, boolean responseTruncated) {}
