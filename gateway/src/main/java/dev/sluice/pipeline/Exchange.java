package dev.sluice.pipeline;

import dev.sluice.billing.Accountant;
import dev.sluice.billing.Budgets;
import dev.sluice.core.ApiError;
import dev.sluice.core.TokenUsage;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.RequestObserver;
import dev.sluice.observe.RequestSummary;
import dev.sluice.observe.trace.RequestTrace;
import dev.sluice.tenancy.Principal;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The bookkeeping of one client request: id, timing (total, upstream, first token), who served it,
 * and the single place that records metrics and tells the {@link RequestObserver} (request log,
 * stats) when it ends. Lives on the request's event loop.
 */
public final class Exchange {
  public static final String KEY = "sluice.exchange";

  final String requestId;
  final String endpoint;
  final FrontDoor front;
  final long startNanos;
  private final long startedAtMillis = System.currentTimeMillis();
  private final GatewayMetrics metrics;
  private final RequestObserver observer;
  private final HttpServerResponse response;
  String model;
  String provider;
  String targetModel;
  boolean stream;
  /** The client hung up before its answer was complete. */
  boolean clientDisconnected;
  /** Who called (set once authenticated), and the prompt estimate used where usage must be estimated. */
  Principal principal;
  long inputEstimate;
  /** Set for chat requests: prices attempts for the cost headers. */
  Accountant accountant;
  Budgets budgets;
  /** Every upstream attempt made for this request, in start order (set when the request ends). */
  java.util.List<UpstreamAttempt> attempts = java.util.List.of();
  /** Time spent waiting for admission (rate limits, the queue). */
  long queueWaitNanos;
  /** What all attempts cost, micro-USD (set when the accountant has priced them, as the request ends). */
  long costMicros;
  /** The code of the error the request ended with; null while it has none. */
  String errorClass;
  /** The request's server span; null when tracing is off (then nothing of tracing runs). */
  RequestTrace trace;
  /** The bodies kept for the request log; null (nothing copied) unless the key's or team's log_bodies asks. */
  dev.sluice.observe.requestlog.BodyCapture bodies;
  /** Set when the request went to its model's canary: told how the canary's first attempt ended. */
  dev.sluice.switching.canary.CanaryTap canary;
  /** Sees every chunk a committed stream relays (a shadow pair's primary answer); null: none. */
  java.util.function.Consumer<dev.sluice.core.ChatChunk> chunkTap;
  /** Told the committed provider's answer id; null: nobody listens (and after it was told). */
  private AnswerTap answerTap;
  /**
   * The request as the committed provider was sent it, for the answer tap; null when no tap waits
   * (and once told): a stream's prompt is not kept for the stream's life.
   */
  private dev.sluice.core.ChatRequest servedRequest;
  private long upstreamNanos;
  private long firstTokenNanos = -1;
  private long overheadAtHeadNanos = -1;
  private boolean recorded;

  public Exchange(RoutingContext ctx, String endpoint, FrontDoor front, GatewayMetrics metrics,
      RequestObserver observer, String requestId, long startNanos) {
    this.response = ctx.response();
    this.endpoint = endpoint;
    this.front = front;
    this.metrics = metrics;
    this.observer = observer;
    this.requestId = requestId;
    this.startNanos = startNanos;
    metrics.requestStarted();
  }

  public static Exchange of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The caller, once its key is accepted (for the request log's key and team). */
  public void authenticated(Principal who) {
    if (principal == null) {
      principal = who;
    }
  }

  /** Asks to be told the id of the answer the committed provider gives ({@link AnswerTap}). */
  public void answerTap(AnswerTap tap) {
    this.answerTap = tap;
  }

  /** The committed provider's answer carries {@code id}: tells the tap, once. */
  void answered(String id) {
    AnswerTap tap = answerTap;
    if (tap != null && id != null && !id.isEmpty() && servedRequest != null) {
      answerTap = null;
      dev.sluice.core.ChatRequest request = servedRequest;
      servedRequest = null;
      tap.answered(principal, provider, request, id);
    }
  }

  /** The attempt sent {@code request} was committed to: kept only while a tap waits for the answer's id. */
  void served(dev.sluice.core.ChatRequest request) {
    servedRequest = answerTap != null ? request : null;
  }

  /** Attaches the request's server span (the front calls this when tracing is on). */
  public void trace(RequestTrace t) {
    this.trace = t;
  }

  /** The model the client asked for, for the metrics of routes the pipeline does not run (count_tokens). */
  public void model(String requested) {
    this.model = requested;
  }

  /** Tokens every attempt of this request used (reported, or estimated where no usage came). */
  long tokensUsed() {
    long total = 0;
    for (UpstreamAttempt a : attempts) {
      total += a.usage(0).usage().total();
    }
    return total;
  }

  /** Adds time spent waiting on the provider (excluded from the overhead figure). */
  void addUpstreamNanos(long nanos) {
    upstreamNanos += nanos;
  }

  void firstToken() {
    if (firstTokenNanos < 0) {
      firstTokenNanos = System.nanoTime() - startNanos;
    }
  }

  /** Time inside Sluice so far: everything except waiting on the provider. */
  long overheadNanos() {
    return Math.max(0, System.nanoTime() - startNanos - upstreamNanos);
  }

  /**
   * Sets the routing headers; call just before the head is written. The overhead figure is fixed
   * here: for a stream, the time inside Sluice up to its first byte.
   */
  void routingHeaders() {
    if (provider != null) {
      response.putHeader(RoutingHeaders.PROVIDER, provider);
      response.putHeader(RoutingHeaders.MODEL, targetModel);
    }
    if (!attempts.isEmpty()) {
      response.putHeader(RoutingHeaders.ATTEMPTS, describeAttempts());
    }
    if (accountant != null && !stream) {
      // The whole answer is in: what it cost, all attempts included. (A stream's head goes out
      // before its usage is known: its cost is in the ledger and metrics.)
      response.putHeader(RoutingHeaders.COST,
          dev.sluice.cost.Micros.of(accountant.totalMicros(attempts, inputEstimate)).toUsdString());
    }
    if (budgets != null && principal != null) {
      long spent = budgets.keySpend(principal);
      if (spent >= 0) {
        response.putHeader(RoutingHeaders.KEY_SPEND, dev.sluice.cost.Micros.of(spent).toUsdString());
      }
    }
    overheadAtHeadNanos = overheadNanos();
    response.putHeader(RoutingHeaders.OVERHEAD, millis(overheadAtHeadNanos));
  }

  /** {@code x-sluice-attempts}: one entry per attempt, comma-separated (usually just one). */
  private String describeAttempts() {
    if (attempts.size() == 1) {
      return attempts.get(0).describe();
    }
    StringBuilder sb = new StringBuilder(64 * attempts.size());
    for (UpstreamAttempt a : attempts) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      a.describe(sb);
    }
    return sb.toString();
  }

  /** Ends the request with an error in its front door's format (or records 499 if the client left). */
  public void fail(ApiError error) {
    if (errorClass == null) {
      errorClass = error.code();
    }
    if (response.closed()) {
      finish(499);
      return;
    }
    routingHeaders();
    if (bodies != null && !response.headWritten()) {
      bodies.answer(front.errorBody(error));
    }
    ErrorResponses.write(response, front, error);
    finish(error.status());
  }

  private final java.util.ArrayDeque<Runnable> onFinish = new java.util.ArrayDeque<>(2);

  /**
   * Runs {@code post} when the request ends, whatever way it ends; post-steps run in reverse order
   * of registration (each pre-step's post-step, innermost first).
   */
  void onFinish(Runnable post) {
    onFinish.push(post);
  }

  /**
   * Nanoseconds as milliseconds with three decimals ("0.417"), without String.format, which the
   * benchmark profile showed at 5% of CPU per request.
   */
  static String millis(long nanos) {
    long micros = Math.max(0, nanos) / 1_000;
    long frac = micros % 1_000;
    return (micros / 1_000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
  }

  /** Records the outcome once; {@code status} 499 means the client went away. */
  public void finish(int status) {
    if (recorded) {
      return;
    }
    recorded = true;
    while (!onFinish.isEmpty()) {
      onFinish.pop().run();
    }
    TokenUsage usage = TokenUsage.ZERO;
    UpstreamAttempt answered = null;
    for (UpstreamAttempt a : attempts) {
      TokenUsage used = a.usage(inputEstimate).usage();
      usage = usage.plus(used);
      boolean ok = "ok".equals(a.outcome());
      answered = answered == null && ok ? a : answered;
      metrics.attempt(a.provider().name(), a.target().model(), a.outcome(), a.hedge(), a.latencyNanos(), a.ttftNanos());
      metrics.genAiAttempt(a.provider().trace().genAiProvider(), a.target().model(), ok ? null : a.outcome(),
          a.latencyNanos(), used);
    }
    // Who served it: the attempt that answered, else the last one tried (none answered).
    UpstreamAttempt servedBy = answered != null || attempts.isEmpty() ? answered : attempts.get(attempts.size() - 1);
    long total = System.nanoTime() - startNanos;
    metrics.requestFinished(endpoint, model, provider, status, stream, total, firstTokenNanos, overheadAtHeadNanos);
    RequestSummary summary = summary(status, total, usage, servedBy);
    if (stream && firstTokenNanos >= 0) {
      metrics.genAiStream(model, servedBy == null ? provider : servedBy.provider().trace().genAiProvider(), targetModel,
          firstTokenNanos, total, usage.output());
    }
    metrics.cost(model, provider, summary.team(), summary.costMicros());
    observer.requestFinished(summary);
    if (trace != null) {
      RequestSpans.end(this, summary);
    }
  }

  private RequestSummary summary(int status, long totalNanos, TokenUsage usage, UpstreamAttempt servedBy) {
    String error = status == 499 ? "client_gone" : errorClass != null ? errorClass
        : status >= 400 ? "http_" + status : null;
    // The provider committed to, else (none answered) the last one tried.
    UpstreamAttempt last = provider != null ? null : servedBy;
    return new RequestSummary(requestId, startedAtMillis, endpoint, principal == null ? null : principal.name(),
        principal == null ? null : principal.keyId(), principal == null ? null : principal.team(), model,
        last == null ? provider : last.providerName(), last == null ? targetModel : last.target().model(),
        status, error, stream, clientDisconnected || status == 499, totalNanos, firstTokenNanos,
        queueWaitNanos, overheadAtHeadNanos >= 0 ? overheadAtHeadNanos : overheadNanos(), usage, costMicros,
        attempts.size(), bodies == null ? null : bodies.finish());
  }
}
