package dev.sluice.observe.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.vertx.core.MultiMap;
import java.util.concurrent.TimeUnit;

/**
 * Opens the SERVER span of a client request, joining the caller's trace when its headers carry a
 * W3C {@code traceparent} (and {@code tracestate}). {@link #OFF} opens nothing: {@link #begin}
 * returns null before it looks at anything, so callers check {@link #enabled()} once when they are
 * wired and keep a null {@link RequestTrace} per request. Thread-safe.
 */
public final class RequestTracer {
  public static final RequestTracer OFF = new RequestTracer(null, null);

  private final Tracer tracer;
  private final Clock clock;

  RequestTracer(Tracer tracer, Clock clock) {
    this.tracer = tracer;
    this.clock = clock;
  }

  public boolean enabled() {
    return tracer != null;
  }

  /**
   * The GenAI operation name of a Sluice endpoint ({@code chat} for chat completions and messages,
   * {@code embeddings}); null for endpoints that are not traced (models, count_tokens, /v1/sluice/*).
   */
  public static String operation(String endpoint) {
    return switch (endpoint) {
      case "chat", "messages", "responses" -> "chat";
      case "embeddings" -> "embeddings";
      default -> null;
    };
  }

  /**
   * Starts the server span of one request; on the request's event loop.
   *
   * @param operation from {@link #operation(String)}
   * @param headers the client request's headers (only the trace context is read from them)
   * @param startNanos {@link System#nanoTime()} when the request arrived
   * @return null when tracing is off
   */
  public RequestTrace begin(String operation, String requestId, MultiMap headers, long startNanos) {
    if (tracer == null) {
      return null;
    }
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HeaderCarrier.GETTER);
    // Span times come from the request's own nanoTime readings, anchored to the wall clock once here.
    long epochAtStart = clock.now() - (clock.nanoTime() - startNanos);
    Span span = tracer.spanBuilder(operation)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(epochAtStart, TimeUnit.NANOSECONDS)
        .setAttribute(TraceKeys.OPERATION, operation)
        .setAttribute(TraceKeys.REQUEST_ID, requestId)
        .startSpan();
    return new RequestTrace(tracer, clock, span, parent.with(span), operation, epochAtStart, startNanos);
  }
}
