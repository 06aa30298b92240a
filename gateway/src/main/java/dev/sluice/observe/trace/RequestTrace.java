package dev.sluice.observe.trace;

import dev.sluice.core.TokenUsage;
import dev.sluice.observe.RequestSummary;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SERVER span of one client request, and the parent of its attempts' CLIENT spans. Made by
 * {@link RequestTracer#begin}; ended once, from the request's summary. Not thread-safe: lives on
 * the request's event loop. Never holds prompt or completion text.
 */
public final class RequestTrace {
  private final Tracer tracer;
  private final Clock clock;
  private final Span span;
  private final Context context;
  private final String operation;
  private final long epochAtStart;
  private final long startNanos;
  private TracePeer servedBy;
  private String responseModel;
  private List<String> finishReasons;
  private boolean ended;

  RequestTrace(Tracer tracer, Clock clock, Span span, Context context, String operation, long epochAtStart,
      long startNanos) {
    this.tracer = tracer;
    this.clock = clock;
    this.span = span;
    this.context = context;
    this.operation = operation;
    this.epochAtStart = epochAtStart;
    this.startNanos = startNanos;
  }

  /**
   * Starts the CLIENT span of one upstream attempt, named {@code {operation} {model}}.
   *
   * @param model the model sent to the provider ({@code gen_ai.request.model})
   * @param kind first | retry | hedge | fallback
   * @param breakerState the target's circuit breaker as the attempt started; null when none
   * @param modelEntry the model entry the target belongs to
   */
  public AttemptSpan attempt(TracePeer peer, String model, String kind, String breakerState, String modelEntry,
      boolean stream) {
    long now = clock.nanoTime();
    long epoch = epochAtStart + (now - startNanos);
    var b = tracer.spanBuilder(operation + " " + model)
        .setParent(context)
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(epoch, TimeUnit.NANOSECONDS)
        .setAttribute(TraceKeys.OPERATION, operation)
        .setAttribute(TraceKeys.PROVIDER, peer.genAiProvider())
        .setAttribute(TraceKeys.SLUICE_PROVIDER, peer.provider())
        .setAttribute(TraceKeys.REQUEST_MODEL, model)
        .setAttribute(TraceKeys.ATTEMPT_KIND, kind);
    if (peer.address() != null) {
      b.setAttribute(TraceKeys.SERVER_ADDRESS, peer.address()).setAttribute(TraceKeys.SERVER_PORT, (long) peer.port());
    }
    if (breakerState != null) {
      b.setAttribute(TraceKeys.BREAKER_STATE, breakerState);
    }
    if (modelEntry != null) {
      b.setAttribute(TraceKeys.MODEL_ENTRY, modelEntry);
    }
    if (stream) {
      b.setAttribute(TraceKeys.REQUEST_STREAM, true);
    }
    return new AttemptSpan(this, b.startSpan(), peer, epoch, stream);
  }

  /** The attempt whose answer the client got: its provider and answer describe the request. */
  void served(TracePeer peer, String model, List<String> reasons) {
    servedBy = peer;
    responseModel = model;
    finishReasons = reasons;
  }

  /** Ends the server span from what the request came to; later calls do nothing. */
  public void end(RequestSummary s) {
    if (ended) {
      return;
    }
    ended = true;
    if (s.model() != null) {
      span.updateName(operation + " " + s.model());
      span.setAttribute(TraceKeys.REQUEST_MODEL, s.model());
    }
    if (servedBy != null) {
      span.setAttribute(TraceKeys.PROVIDER, servedBy.genAiProvider());
    }
    if (s.provider() != null) {
      span.setAttribute(TraceKeys.SLUICE_PROVIDER, s.provider());
    }
    String answeredBy = responseModel != null ? responseModel : s.targetModel();
    if (answeredBy != null) {
      span.setAttribute(TraceKeys.RESPONSE_MODEL, answeredBy);
    }
    if (finishReasons != null && !finishReasons.isEmpty()) {
      span.setAttribute(TraceKeys.FINISH_REASONS, finishReasons);
    }
    if (s.stream()) {
      span.setAttribute(TraceKeys.REQUEST_STREAM, true);
    }
    if (s.attempts() > 0) {
      usage(span, s.usage()); // every attempt together: what the request consumed
      span.setAttribute(TraceKeys.COST_MICROS, s.costMicros());
    }
    span.setAttribute(TraceKeys.ATTEMPTS, (long) s.attempts());
    span.setAttribute(TraceKeys.QUEUE_WAIT_MS, s.queueWaitNanos() / 1e6);
    span.setAttribute(TraceKeys.HTTP_STATUS, (long) s.status());
    if (s.keyName() != null) {
      span.setAttribute(TraceKeys.KEY_NAME, s.keyName());
    }
    if (s.team() != null) {
      span.setAttribute(TraceKeys.TEAM, s.team());
    }
    if (s.errorClass() != null) {
      span.setAttribute(TraceKeys.ERROR_TYPE, s.errorClass());
      if (s.status() >= 500) {
        span.setStatus(StatusCode.ERROR); // a 4xx is the client's doing: not an error of this server span
      }
    }
    span.end(epochAtStart + s.latencyNanos(), TimeUnit.NANOSECONDS);
  }

  /** The server span's trace id (32 hex digits); the caller's when it sent a {@code traceparent}. */
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  public String spanId() {
    return span.getSpanContext().getSpanId();
  }

  static void usage(Span span, TokenUsage u) {
    span.setAttribute(TraceKeys.INPUT_TOKENS, u.input());
    span.setAttribute(TraceKeys.OUTPUT_TOKENS, u.output());
    if (u.cachedRead() > 0) {
      span.setAttribute(TraceKeys.CACHE_READ_TOKENS, u.cachedRead());
    }
    if (u.cacheWrite() > 0) {
      span.setAttribute(TraceKeys.CACHE_CREATION_TOKENS, u.cacheWrite());
    }
    if (u.reasoning() > 0) {
      span.setAttribute(TraceKeys.REASONING_TOKENS, u.reasoning());
    }
  }
}
