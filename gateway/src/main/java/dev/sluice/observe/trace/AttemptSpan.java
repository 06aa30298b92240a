package dev.sluice.observe.trace;

import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLIENT span of one upstream attempt: started when the attempt is sent, fed what the answer
 * says about itself (model, id, finish reasons — never its text), ended once with the attempt's
 * outcome. Not thread-safe: lives on the request's event loop.
 */
public final class AttemptSpan {
  private final RequestTrace parent;
  private final Span span;
  private final TracePeer peer;
  private final long epochAtStart;
  private final boolean stream;
  private String responseModel;
  private String responseId;
  private List<String> finishReasons;
  private boolean ended;

  AttemptSpan(RequestTrace parent, Span span, TracePeer peer, long epochAtStart, boolean stream) {
    this.parent = parent;
    this.span = span;
    this.peer = peer;
    this.epochAtStart = epochAtStart;
    this.stream = stream;
  }

  /**
   * Writes this span's W3C {@code traceparent} (and {@code tracestate}) into the upstream request's
   * headers, when its provider opted in with {@code propagate_trace}; otherwise leaves them alone.
   */
  public void propagateInto(MultiMap headers) {
    if (peer.propagate()) {
      W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), headers, HeaderCarrier.SETTER);
    }
  }

  /** One streamed chunk: keeps the answer's model, id and finish reasons. */
  public void chunk(ChatChunk c) {
    var chunk = c.chunk();
    if (chunk == null) {
      return;
    }
    if (responseModel == null && chunk.model() != null && !chunk.model().isEmpty()) {
      responseModel = chunk.model();
    }
    if (responseId == null && chunk.id() != null && !chunk.id().isEmpty()) {
      responseId = chunk.id();
    }
    for (var choice : chunk.choices()) {
      if (choice.finishReason() != null) {
        finishReason(choice.finishReason());
      }
    }
  }

  /** A whole answer: its model, id and finish reasons. */
  public void response(ChatResponse r) {
    if (r == null || r.body() == null) {
      return;
    }
    responseModel(r.body().model());
    if (r.body().id() != null && !r.body().id().isEmpty()) {
      responseId = r.body().id();
    }
    for (var choice : r.body().choices()) {
      if (choice.finishReason() != null) {
        finishReason(choice.finishReason());
      }
    }
  }

  /** The model the provider says answered (embeddings, where there is no chat body). */
  public void responseModel(String model) {
    if (model != null && !model.isEmpty()) {
      responseModel = model;
    }
  }

  private void finishReason(String reason) {
    if (finishReasons == null) {
      finishReasons = new ArrayList<>(1);
    }
    finishReasons.add(reason);
  }

  /** Ends the span; later calls do nothing. The attempt that answered describes its request too. */
  public void end(AttemptOutcome o) {
    if (ended) {
      return;
    }
    ended = true;
    span.setAttribute(TraceKeys.ATTEMPT_OUTCOME, o.outcome());
    if (o.status() > 0) {
      span.setAttribute(TraceKeys.HTTP_STATUS, (long) o.status());
    }
    if (responseModel != null) {
      span.setAttribute(TraceKeys.RESPONSE_MODEL, responseModel);
    }
    if (responseId != null) {
      span.setAttribute(TraceKeys.RESPONSE_ID, responseId);
    }
    if (finishReasons != null) {
      span.setAttribute(TraceKeys.FINISH_REASONS, List.copyOf(finishReasons));
    }
    if (o.usage() != null) {
      RequestTrace.usage(span, o.usage());
      if (o.usageEstimated()) {
        span.setAttribute(TraceKeys.USAGE_ESTIMATED, true);
      }
    }
    if (o.costMicros() >= 0) {
      span.setAttribute(TraceKeys.COST_MICROS, o.costMicros());
    }
    if (stream && o.ttftNanos() >= 0) {
      span.setAttribute(TraceKeys.TIME_TO_FIRST_CHUNK, o.ttftNanos() / 1e9);
    }
    if (o.failed()) {
      span.setAttribute(TraceKeys.ERROR_TYPE, o.outcome());
      span.setStatus(StatusCode.ERROR);
    } else if ("ok".equals(o.outcome())) {
      parent.served(peer, responseModel, finishReasons == null ? null : List.copyOf(finishReasons));
    }
    span.end(epochAtStart + Math.max(0, o.latencyNanos()), TimeUnit.NANOSECONDS);
  }

  public String spanId() {
    return span.getSpanContext().getSpanId();
  }
}
