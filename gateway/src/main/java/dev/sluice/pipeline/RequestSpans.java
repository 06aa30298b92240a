package dev.sluice.pipeline;

import dev.sluice.billing.BillableUsage;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.observe.RequestSummary;
import dev.sluice.observe.trace.AttemptOutcome;
import dev.sluice.observe.trace.AttemptSpan;
import dev.sluice.resilience.BreakerState;
import dev.sluice.upstream.UpstreamCall;
import java.util.List;

/**
 * Tells a request's trace about its attempts: the pipeline's side of {@code observe.trace}. Only
 * called when the request has a trace ({@code ex.trace != null}): with tracing off none of this
 * runs. On the request's event loop.
 */
final class RequestSpans {
  private RequestSpans() {}

  /**
   * Starts attempt {@code a}'s client span and, when its provider opted in, puts the span's
   * {@code traceparent} on the request about to be sent.
   */
  static void startAttempt(Exchange ex, UpstreamAttempt a, UpstreamRequest encoded, BreakerState breaker,
      boolean first) {
    AttemptSpan span = ex.trace.attempt(a.provider().trace(), a.target().model(), kind(a, ex.model, first),
        breaker == null ? null : breaker.name(), a.modelEntry(), encoded.stream());
    span.propagateInto(encoded.headers());
    a.span = span;
  }

  /**
   * first: the request's first attempt; hedge: a parallel attempt because the first was slow;
   * fallback: on another model entry; retry: any other (the same target again, or the entry's next).
   */
  static String kind(UpstreamAttempt a, String requestedModel, boolean first) {
    if (a.hedge()) {
      return "hedge";
    }
    if (first) {
      return "first";
    }
    return a.modelEntry().equals(requestedModel) ? "retry" : "fallback";
  }

  /** Ends every attempt's span (priced), then the request's. */
  static void end(Exchange ex, RequestSummary summary) {
    for (UpstreamAttempt a : ex.attempts) {
      AttemptSpan span = a.span;
      if (span == null) {
        continue;
      }
      span.response(a.response());
      BillableUsage u = a.usage(ex.inputEstimate);
      long cost = ex.accountant == null ? -1 : ex.accountant.totalMicros(List.of(a), ex.inputEstimate);
      span.end(new AttemptOutcome(a.outcome(), a.status(), u.usage(), u.estimated(), cost, a.latencyNanos(),
          a.ttftNanos()));
    }
    ex.trace.end(summary);
  }

  /** The one upstream call of an embeddings request. */
  static AttemptSpan startEmbeddings(Exchange ex, ProviderRuntime provider, Target target, UpstreamRequest encoded) {
    AttemptSpan span = ex.trace.attempt(provider.trace(), target.model(), "first", null, ex.model, false);
    span.propagateInto(encoded.headers());
    return span;
  }

  /** @param response null when the call failed or was abandoned */
  static void endEmbeddings(AttemptSpan span, String outcome, UpstreamCall call, EmbeddingsResponse response,
      long latencyNanos) {
    int status = call.responded().succeeded() ? call.status() : 0;
    TokenUsage usage = null;
    if (response != null) {
      usage = response.usage();
      var model = response.body().get("model");
      span.responseModel(model == null || !model.isTextual() ? null : model.textValue());
    }
    span.end(new AttemptOutcome(outcome, status, usage, false, -1, latencyNanos, -1));
  }
}
