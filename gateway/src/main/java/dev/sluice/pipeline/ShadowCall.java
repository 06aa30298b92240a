package dev.sluice.pipeline;

import dev.sluice.billing.Pricing;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.cost.Cost;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.upstream.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * One shadow call: the request re-encoded for the candidate's target and sent through its
 * provider's adapter and pooled client, the way an attempt is, but outside the request's
 * execution: no admission, no adaptive limit, no breaker, no retries, nothing relayed. A streamed
 * request is streamed (for its time to first token) and its answer collected. Completes with the
 * candidate's side, never fails. Runs on the event loop it was started on.
 */
final class ShadowCall {
  private final Candidate candidate;
  private final Pricing pricing;
  private final long inputEstimate;
  private final Promise<ShadowSide> done = Promise.promise();
  private final long startNanos = System.nanoTime();
  private long ttftNanos = -1;
  private UpstreamCall call;
  private StreamTranslator translator;
  private ShadowAnswers collected;
  private int status;

  private ShadowCall(Candidate candidate, Pricing pricing, long inputEstimate) {
    this.candidate = candidate;
    this.pricing = pricing;
    this.inputEstimate = inputEstimate;
  }

  /** Sends {@code candidate}'s request; the future completes with its side (an error side on any failure). */
  static Future<ShadowSide> run(Candidate candidate, Pricing pricing, long inputEstimate) {
    ShadowCall c = new ShadowCall(candidate, pricing, inputEstimate);
    c.start();
    return c.done.future();
  }

  private void start() {
    ProviderRuntime p = candidate.provider();
    UpstreamRequest encoded;
    try {
      encoded = p.adapter().encode(candidate.request(), candidate.target());
    } catch (RuntimeException e) {
      done.tryComplete(ShadowSide.failed(candidate.target(), p.name(), 0, 0, "bad_request"));
      return;
    }
    call = p.client().send(encoded, p.client().endpoint().timeouts());
    call.responded().onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      status = call.status();
      if (status >= 300) {
        call.body().onComplete(b -> fail(b.failed() ? b.cause()
            : new UpstreamFailure(p.adapter().classify(status, call.headers(), b.result()))));
      } else if (candidate.request().stream()) {
        translator = p.adapter().newStreamTranslator(candidate.request());
        collected = new ShadowAnswers();
        call.stream(slice -> translator.onBytes(slice, this::onChunk), v -> onEnd(), e -> fail(new UpstreamFailure(e)));
      } else {
        call.body().onComplete(b -> {
          if (b.failed()) {
            fail(b.cause());
            return;
          }
          ChatResponse r;
          try {
            r = p.adapter().decode(b.result());
          } catch (RuntimeException e) {
            fail(e);
            return;
          }
          ttftNanos = System.nanoTime() - startNanos;
          succeed(r.usage(), ShadowAnswers.of(r));
        });
      }
    });
  }

  private void onChunk(ChatChunk chunk) {
    if (done.future().isComplete()) {
      return;
    }
    if (chunk.error() != null) {
      call.cancel();
      fail(new UpstreamFailure(chunk.asUpstreamError()));
      return;
    }
    if (ttftNanos < 0 && chunk.isFirstTokenEvidence()) {
      ttftNanos = System.nanoTime() - startNanos;
    }
    collected.accept(chunk);
  }

  private void onEnd() {
    translator.onEnd(this::onChunk);
    if (done.future().isComplete()) {
      return;
    }
    if (!translator.completed()) {
      fail(new UpstreamFailure(UpstreamError.of(ErrorClass.CONNECTION, status, "the stream ended before it was complete")));
      return;
    }
    succeed(translator.usage(), collected.answer());
  }

  private void succeed(TokenUsage usage, dev.sluice.switching.shadow.ShadowAnswer answer) {
    Target t = candidate.target();
    Cost cost = pricing.cost(t, usage);
    done.tryComplete(new ShadowSide(t, candidate.provider().name(), System.nanoTime() - startNanos, ttftNanos, usage,
        cost.total().value(), cost.priceKnown(), false, status, null, answer));
  }

  private void fail(Throwable cause) {
    if (done.future().isComplete()) {
      return;
    }
    UpstreamError e = cause instanceof UpstreamFailure f ? candidate.provider().redact(f.error())
        : UpstreamError.of(ErrorClass.SERVER_ERROR, status, "Sluice failed to handle the provider's answer");
    // What a stream delivered before it failed is still billed, estimated at about four characters a token.
    TokenUsage used = translator != null ? translator.usage() : TokenUsage.ZERO;
    boolean estimated = false;
    if (used.equals(TokenUsage.ZERO) && collected != null) {
      long chars = collected.answer().text().length();
      if (chars > 0) {
        used = new TokenUsage(inputEstimate, (chars + 3) / 4, 0, 0, 0);
        estimated = true;
      }
    }
    Cost cost = pricing.cost(candidate.target(), used);
    done.tryComplete(new ShadowSide(candidate.target(), candidate.provider().name(), System.nanoTime() - startNanos,
        ttftNanos, used, cost.total().value(), cost.priceKnown(), estimated, status, e.errorClass().wireName(), null));
  }
}
