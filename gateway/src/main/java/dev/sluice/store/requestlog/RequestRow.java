package dev.sluice.store.requestlog;

import dev.sluice.store.BatchRow;
import java.time.Instant;
import java.util.Objects;

/**
 * One client request in the request log: who asked for what, who served it, how it ended, how long
 * each part took, and what it used and cost. Its attempts are the {@link LedgerRow}s with the same
 * request id. Immutable.
 *
 * @param id the request id ({@code x-request-id})
 * @param ts when the request arrived; kept to the millisecond
 * @param endpoint chat | messages | embeddings | count_tokens | models | sluice_* …
 * @param keyName null when the request was refused before a key was accepted
 * @param model the model the client asked for; null when none
 * @param provider who served it (the winning attempt's provider, or the last tried); null if none
 * @param status the HTTP status answered (499: the client went away first)
 * @param errorClass the error's code; null when it succeeded
 * @param latencyMicros the whole request, arrival to last byte
 * @param ttftMicros to the first streamed token; null when none came or not a stream
 * @param queueWaitMicros waiting for admission (rate limits, the queue)
 * @param overheadMicros time inside Sluice, provider time excluded
 * @param costMicros every attempt together, micro-USD
 * @param attempts upstream attempts made (0 when no provider was called)
 * @param bodies the stored request and answer, already redacted and cut; null when not kept
 */
public record RequestRow(String id, Instant ts, String endpoint, String keyName, String keyId, String team,
    String model, String provider, String targetModel, int status, String errorClass, boolean stream,
    boolean clientDisconnected, long latencyMicros, Long ttftMicros, long queueWaitMicros, long overheadMicros,
    long inputTokens, long outputTokens, long cachedReadTokens, long cacheWriteTokens, long reasoningTokens,
    long costMicros, int attempts, Bodies bodies) implements BatchRow {

  public RequestRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(endpoint, "endpoint");
    if (id.isEmpty() || attempts < 0) {
      throw new IllegalArgumentException("a request row needs an id and an attempt count >= 0");
    }
    if (latencyMicros < 0 || queueWaitMicros < 0 || overheadMicros < 0 || (ttftMicros != null && ttftMicros < 0)
        || inputTokens < 0 || outputTokens < 0 || cachedReadTokens < 0 || cacheWriteTokens < 0
        || reasoningTokens < 0 || costMicros < 0) {
      throw new IllegalArgumentException("durations, token counts and cost are never negative: " + id);
    }
    ts = ts == null ? null : ts.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  @Override
  public long bodyBytes() {
    return bodies == null ? 0 : bodies.bytes();
  }

  /** The same row without its bodies (as the list reads it). */
  public RequestRow withoutBodies() {
    return bodies == null ? this : toBuilder().bodies(null).build();
  }

  /**
   * A request's stored bodies: the request as received and the answer as sent (for a stream, the
   * SSE text), each already redacted and cut to the configured size.
   *
   * @param request null when none was kept
   * @param response null when none was sent
   * @param requestTruncated whether the request was cut
   * @param responseTruncated whether the answer was cut
   */
  public record Bodies(String request, String response, boolean requestTruncated, boolean responseTruncated) {
    /** Roughly the memory the texts hold (UTF-16), for the writer's bound. */
    long bytes() {
      return 2L * ((request == null ? 0 : request.length()) + (response == null ? 0 : response.length()));
    }
  }

  public static Builder builder(String id, Instant ts) {
    return new Builder(id, ts);
  }

  public Builder toBuilder() {
    return new Builder(id, ts).endpoint(endpoint).key(keyName, keyId, team).model(model)
        .servedBy(provider, targetModel).status(status).errorClass(errorClass).stream(stream)
        .clientDisconnected(clientDisconnected).timing(latencyMicros, ttftMicros, queueWaitMicros, overheadMicros)
        .tokens(inputTokens, outputTokens, cachedReadTokens, cacheWriteTokens, reasoningTokens).cost(costMicros)
        .attempts(attempts).bodies(bodies);
  }

  /** Starts from a successful chat request with no attempts; set what differs. Not thread-safe. */
  public static final class Builder {
    private String id;
    private Instant ts;
    private String endpoint = "chat";
    private String keyName;
    private String keyId;
    private String team;
    private String model;
    private String provider;
    private String targetModel;
    private int status = 200;
    private String errorClass;
    private boolean stream;
    private boolean clientDisconnected;
    private long latencyMicros;
    private Long ttftMicros;
    private long queueWaitMicros;
    private long overheadMicros;
    private long inputTokens;
    private long outputTokens;
    private long cachedReadTokens;
    private long cacheWriteTokens;
    private long reasoningTokens;
    private long costMicros;
    private int attempts;
    private Bodies bodies;

    private Builder(String id, Instant ts) {
      this.id = id;
      this.ts = ts;
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder ts(Instant ts) {
      this.ts = ts;
      return this;
    }

    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder key(String keyName, String keyId, String team) {
      this.keyName = keyName;
      this.keyId = keyId;
      this.team = team;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder servedBy(String provider, String targetModel) {
      this.provider = provider;
      this.targetModel = targetModel;
      return this;
    }

    public Builder status(int status) {
      this.status = status;
      return this;
    }

    public Builder errorClass(String errorClass) {
      this.errorClass = errorClass;
      return this;
    }

    public Builder stream(boolean stream) {
      this.stream = stream;
      return this;
    }

    public Builder clientDisconnected(boolean clientDisconnected) {
      this.clientDisconnected = clientDisconnected;
      return this;
    }

    public Builder timing(long latencyMicros, Long ttftMicros, long queueWaitMicros, long overheadMicros) {
      this.latencyMicros = latencyMicros;
      this.ttftMicros = ttftMicros;
      this.queueWaitMicros = queueWaitMicros;
      this.overheadMicros = overheadMicros;
      return this;
    }

    public Builder tokens(long input, long output, long cachedRead, long cacheWrite, long reasoning) {
      this.inputTokens = input;
      this.outputTokens = output;
      this.cachedReadTokens = cachedRead;
      this.cacheWriteTokens = cacheWrite;
      this.reasoningTokens = reasoning;
      return this;
    }

    public Builder cost(long costMicros) {
      this.costMicros = costMicros;
      return this;
    }

    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder bodies(Bodies bodies) {
      this.bodies = bodies;
      return this;
    }

    public RequestRow build() {
      return new RequestRow(id, ts, endpoint, keyName, keyId, team, model, provider, targetModel, status, errorClass,
          stream, clientDisconnected, latencyMicros, ttftMicros, queueWaitMicros, overheadMicros, inputTokens,
          outputTokens, cachedReadTokens, cacheWriteTokens, reasoningTokens, costMicros, attempts, bodies);
    }
  }
}
