package dev.sluice.observe;

import dev.sluice.core.TokenUsage;
import dev.sluice.observe.requestlog.CapturedBodies;

/**
 * What happened to one client request, made once when it ends: the request log's row, the stats
 * rollups' sample and the GenAI metrics' input. Its attempts are the ledger rows with the same
 * request id. Immutable.
 *
 * @param startedAtMillis wall-clock start, epoch milliseconds
 * @param endpoint chat | messages | embeddings | count_tokens | models | sluice_key | sluice_spend |
 *     sluice_requests | sluice_stats
 * @param keyName null when the request was refused before a key was accepted
 * @param model the model the client asked for; null when the body named none
 * @param provider the provider that served it (the winning attempt's, or the last tried); null if none
 * @param status the HTTP status answered (499: the client went away first; a stream that failed
 *     after its first byte: the status of the error it ended with)
 * @param errorClass the error's code ({@code rate_limit_exceeded}, {@code upstream_timeout},
 *     {@code client_gone} …); null when it succeeded
 * @param ttftNanos time to the first token; negative when none came or not a stream
 * @param queueWaitNanos time waiting for admission (rate limits, queue); 0 when not admitted through it
 * @param overheadNanos time inside Sluice, provider time excluded (for a stream, up to its first byte)
 * @param usage tokens of every attempt together
 * @param costMicros what every attempt cost together, micro-USD
 * @param attempts upstream attempts made (0 when no provider was called)
 * @param bodies the request and answer bodies, already redacted and cut, when the key's or team's
 *     {@code log_bodies} asks for them; null otherwise
 */
public record RequestSummary(String requestId, long startedAtMillis, String endpoint, String keyName, String keyId,
    String team, String model, String provider, String targetModel, int status, String errorClass, boolean stream,
    boolean clientDisconnected, long latencyNanos, long ttftNanos, long queueWaitNanos, long overheadNanos,
    TokenUsage usage, long costMicros, int attempts, CapturedBodies bodies) {

  public boolean ok() {
    return errorClass == null && status < 400;
  }
}
