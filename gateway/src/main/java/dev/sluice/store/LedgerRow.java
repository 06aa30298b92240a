package dev.sluice.store;

import dev.sluice.core.TokenUsage;
import java.time.Instant;
import java.util.Objects;

/**
 * One upstream attempt in the ledger. Its {@link #id()} is {@code requestId + ':' + attemptNo},
 * so writing the same attempt twice (a journal replay after a crash) keeps one row.
 *
 * @param attemptNo the attempt's number within its request (the first is 1)
 * @param ts when the attempt ended; kept to the millisecond
 * @param keyName the client key's name (its stable identity; use a fixed name such as
 *     {@code anonymous} when auth is off)
 * @param keyId the stored key's id, or {@code null} for a key from the config file
 * @param modelEntry the model entry (alias) the client asked for
 * @param targetModel the provider's model name that was called
 * @param status the HTTP status the attempt ended with (0 when no response came)
 * @param errorClass the failure's class when the attempt failed, else {@code null}
 * @param costMicros the attempt's cost in integer micro-units; 0 when the price is unknown
 * @param priceKnown whether the catalog had a price for the target model
 * @param estimated whether the token counts (and so the cost) were estimated, not reported
 * @param ttftMs time to first token for streams, else {@code null}
 * @param clientDisconnected whether the client went away before the end
 * @param hedge whether this attempt was a hedge (a second, parallel attempt)
 * @param retry whether this attempt retried an earlier one to the same target
 * @param fallback whether this attempt went to a fallback target
 * @param startedAt when the attempt started (the request log's timeline); null in rows written
 *     before it was recorded
 * @param kind a client call, a shadow call or a response-cache hit
 * @param savedMicros what a cache hit saved (the original call's cost); 0 for other rows
 * @param route on the attempt that answered its request (and only there): how it was routed; null
 *     elsewhere and on rows written before V9
 * @param routeCostMicros on a {@link AnswerRoute#REROUTED} answer whose prices were all known: what
 *     all of the request's attempts cost (failed ones included); else null
 * @param routeBaselineMicros on the same row: the answer's token counts priced at its model entry's
 *     first target, at the prices when the request ran; else null
 * @param uncachedCostMicros on an attempt that read from or wrote to a provider's prompt cache and
 *     whose price is known: its price with every prompt token at the input price (what it would
 *     have cost without the cache), at the prices when it ran; else null
 */
public record LedgerRow(String requestId, int attemptNo, Instant ts, String keyName, String keyId, String team,
    String modelEntry, String provider, String targetModel, int status, String errorClass, Outcome outcome,
    long inputTokens, long outputTokens, long cachedReadTokens, long cacheWriteTokens, long reasoningTokens,
    long costMicros, boolean priceKnown, boolean estimated, long latencyMs, Long ttftMs, boolean stream,
    boolean clientDisconnected, boolean hedge, boolean retry, boolean fallback, Instant startedAt, RowKind kind,
    long savedMicros, AnswerRoute route, Long routeCostMicros, Long routeBaselineMicros, Long uncachedCostMicros)
    implements BatchRow {

  public LedgerRow {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(keyName, "keyName");
    Objects.requireNonNull(modelEntry, "modelEntry");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(targetModel, "targetModel");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(kind, "kind");
    if (requestId.isEmpty() || attemptNo < 0) {
      throw new IllegalArgumentException("a ledger row needs a request id and an attempt number >= 0");
    }
    if (inputTokens < 0 || outputTokens < 0 || cachedReadTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0
        || costMicros < 0 || savedMicros < 0 || latencyMs < 0 || (ttftMs != null && ttftMs < 0)
        || negative(routeCostMicros) || negative(routeBaselineMicros) || negative(uncachedCostMicros)) {
      throw new IllegalArgumentException("token counts, cost and durations are never negative: " + requestId);
    }
    ts = Millis.truncate(ts);
    startedAt = Millis.truncate(startedAt);
  }

  private static boolean negative(Long v) {
    return v != null && v < 0;
  }

  /** The primary key: {@code requestId + ':' + attemptNo}. */
  @Override
  public String id() {
    return requestId + ':' + attemptNo;
  }

  public static Builder builder(String requestId, int attemptNo, Instant ts) {
    return new Builder(requestId, attemptNo, ts);
  }

  public Builder toBuilder() {
    return new Builder(requestId, attemptNo, ts).key(keyName, keyId, team)
        .target(modelEntry, provider, targetModel).status(status).errorClass(errorClass).outcome(outcome)
        .tokens(inputTokens, outputTokens, cachedReadTokens, cacheWriteTokens, reasoningTokens)
        .cost(costMicros, priceKnown, estimated).latency(latencyMs, ttftMs).stream(stream)
        .clientDisconnected(clientDisconnected).hedge(hedge).retry(retry).fallback(fallback).startedAt(startedAt)
        .kind(kind).saved(savedMicros).route(route, routeCostMicros, routeBaselineMicros)
        .uncachedCost(uncachedCostMicros);
  }

  /** Starts from a successful, unstreamed, zero-cost attempt; set what differs. Not thread-safe. */
  public static final class Builder {
    private String requestId;
    private int attemptNo;
    private Instant ts;
    private String keyName;
    private String keyId;
    private String team;
    private String modelEntry;
    private String provider;
    private String targetModel;
    private int status = 200;
    private String errorClass;
    private Outcome outcome = Outcome.OK;
    private long inputTokens;
    private long outputTokens;
    private long cachedReadTokens;
    private long cacheWriteTokens;
    private long reasoningTokens;
    private long costMicros;
    private boolean priceKnown = true;
    private boolean estimated;
    private long latencyMs;
    private Long ttftMs;
    private boolean stream;
    private boolean clientDisconnected;
    private boolean hedge;
    private boolean retry;
    private boolean fallback;
    private Instant startedAt;
    private RowKind kind = RowKind.CALL;
    private long savedMicros;
    private AnswerRoute route;
    private Long routeCostMicros;
    private Long routeBaselineMicros;
    private Long uncachedCostMicros;

    private Builder(String requestId, int attemptNo, Instant ts) {
      this.requestId = requestId;
      this.attemptNo = attemptNo;
      this.ts = ts;
    }

    public Builder attempt(String requestId, int attemptNo) {
      this.requestId = requestId;
      this.attemptNo = attemptNo;
      return this;
    }

    public Builder ts(Instant ts) {
      this.ts = ts;
      return this;
    }

    public Builder key(String keyName, String keyId, String team) {
      this.keyName = keyName;
      this.keyId = keyId;
      this.team = team;
      return this;
    }

    public Builder target(String modelEntry, String provider, String targetModel) {
      this.modelEntry = modelEntry;
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

    public Builder outcome(Outcome outcome) {
      this.outcome = outcome;
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

    public Builder tokens(TokenUsage u) {
      return tokens(u.input(), u.output(), u.cachedRead(), u.cacheWrite(), u.reasoning());
    }

    public Builder cost(long costMicros, boolean priceKnown, boolean estimated) {
      this.costMicros = costMicros;
      this.priceKnown = priceKnown;
      this.estimated = estimated;
      return this;
    }

    public Builder latency(long latencyMs, Long ttftMs) {
      this.latencyMs = latencyMs;
      this.ttftMs = ttftMs;
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

    public Builder hedge(boolean hedge) {
      this.hedge = hedge;
      return this;
    }

    public Builder retry(boolean retry) {
      this.retry = retry;
      return this;
    }

    public Builder fallback(boolean fallback) {
      this.fallback = fallback;
      return this;
    }

    public Builder startedAt(Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    public Builder kind(RowKind kind) {
      this.kind = kind;
      return this;
    }

    /** What a cache hit saved, in micro-units. */
    public Builder saved(long savedMicros) {
      this.savedMicros = savedMicros;
      return this;
    }

    /** How the answering attempt was routed and, for a priced reroute, the request's cost and baseline. */
    public Builder route(AnswerRoute route, Long routeCostMicros, Long routeBaselineMicros) {
      this.route = route;
      this.routeCostMicros = routeCostMicros;
      this.routeBaselineMicros = routeBaselineMicros;
      return this;
    }

    /** What a prompt-cached attempt would have cost without the provider's cache. */
    public Builder uncachedCost(Long uncachedCostMicros) {
      this.uncachedCostMicros = uncachedCostMicros;
      return this;
    }

    public LedgerRow build() {
      return new LedgerRow(requestId, attemptNo, ts, keyName, keyId, team, modelEntry, provider, targetModel,
          status, errorClass, outcome, inputTokens, outputTokens, cachedReadTokens, cacheWriteTokens,
          reasoningTokens, costMicros, priceKnown, estimated, latencyMs, ttftMs, stream, clientDisconnected, hedge,
          retry, fallback, startedAt, kind, savedMicros, route, routeCostMicros, routeBaselineMicros,
          uncachedCostMicros);
    }
  }
}
