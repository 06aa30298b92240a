package dev.sluice.pipeline;

import dev.sluice.billing.BillableAttempt;
import dev.sluice.billing.BillableUsage;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.core.UpstreamTimeouts;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.upstream.UpstreamCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One try of a request on one target. Until it is committed it only listens: a streamed answer is
 * buffered up to its first token, a whole answer is read and decoded; then the owner is told it is
 * ready, or that it failed with a classified error it may retry. After the owner commits it, a
 * stream is relayed to a {@link Sink}. Lives on the request's event loop.
 */
final class UpstreamAttempt implements BillableAttempt {
  /** What the owning execution hears from an uncommitted attempt. */
  interface Listener {
    /** Stream: the first token is buffered. Whole answer: it is decoded ({@link #response()}). */
    void onReady(UpstreamAttempt attempt);

    void onFailed(UpstreamAttempt attempt, UpstreamError error);
  }

  /** Where a committed stream goes. */
  interface Sink {
    void chunk(ChatChunk chunk);

    /** The upstream completed the stream. */
    void end();

    /** The upstream failed after the stream was committed: a terminal error for the client. */
    void failed(UpstreamError error);
  }

  /**
   * The target and the request as it is sent to it; null once {@link #forgetRequest forgotten}:
   * nothing reads it after the commit.
   */
  private Candidate candidate;
  private final Target target;
  private final boolean hedge;
  /** Why this attempt exists: first, retry (same target again), fallback (another model entry). */
  private final String modelEntry;
  private final boolean retry;
  private long seenTextChars;
  private final long startNanos = System.nanoTime();
  private final long startedAtMillis = System.currentTimeMillis();
  private final boolean stream;
  private final ProviderRuntime provider;
  private final Listener listener;
  private UpstreamCall call;
  private StreamTranslator translator;
  private final List<ChatChunk> buffered = new ArrayList<>();
  private ChatResponse response;
  private Sink sink;
  private boolean ready;
  private boolean upstreamEnded;
  private boolean finished;
  private long ttftNanos = -1;
  private long endNanos = -1;
  private int status;
  private String outcome = "pending";
  /** This attempt's client span; null when the request is not traced. */
  dev.sluice.observe.trace.AttemptSpan span;

  UpstreamAttempt(Candidate candidate, boolean hedge, Listener listener) {
    this(candidate, hedge, false, candidate.request().model(), listener);
  }

  UpstreamAttempt(Candidate candidate, boolean hedge, boolean retry, String modelEntry, Listener listener) {
    this.retry = retry;
    this.modelEntry = modelEntry;
    this.candidate = candidate;
    this.target = candidate.target();
    this.provider = candidate.provider();
    this.stream = candidate.request().stream();
    this.hedge = hedge;
    this.listener = listener;
  }

  /** The candidate this attempt tried; null once {@link #forgetRequest forgotten}. */
  Candidate candidate() {
    return candidate;
  }

  /**
   * Lets go of the request (its prompt can be most of a stream's memory): called on every attempt
   * of a request once a stream is committed, when no attempt can be made or remade. What the
   * attempt reports afterwards (target, usage, outcome) does not need it.
   */
  void forgetRequest() {
    candidate = null;
  }

  @Override
  public Target target() {
    return target;
  }

  ProviderRuntime provider() {
    return provider;
  }

  @Override
  public String providerName() {
    return provider.name();
  }

  @Override
  public boolean hedge() {
    return hedge;
  }

  /** One entry of {@code x-sluice-attempts}: {@code provider/model;outcome=ok;status=200;ms=12;ttft_ms=5[;hedge]}. */
  String describe() {
    return describe(new StringBuilder(64)).toString();
  }

  /** Appends {@link #describe()} to {@code sb}. */
  StringBuilder describe(StringBuilder sb) {
    sb.append(target.label()).append(";outcome=").append(outcome);
    if (status > 0) {
      sb.append(";status=").append(status);
    }
    sb.append(";ms=").append(latencyNanos() / 1_000_000);
    if (ttftNanos >= 0) {
      sb.append(";ttft_ms=").append(ttftNanos / 1_000_000);
    }
    if (hedge) {
      sb.append(";hedge");
    }
    return sb;
  }

  void start(UpstreamRequest encoded, UpstreamTimeouts timeouts) {
    call = provider.client().send(encoded, timeouts);
    call.responded().onComplete(ar -> {
      if (finished) {
        return; // cancelled or failed meanwhile (its request may be forgotten): nothing is reported
      }
      if (ar.failed()) {
        fail(ar.cause());
      } else if (call.status() >= 300) {
        status = call.status();
        call.body().onComplete(body -> fail(body.failed() ? body.cause()
            : new UpstreamFailure(provider.adapter().classify(call.status(), call.headers(), body.result()))));
      } else {
        status = call.status();
        if (stream) {
          translator = provider.adapter().newStreamTranslator(candidate.request());
          call.stream(slice -> translator.onBytes(slice, this::onChunk), v -> onUpstreamEnd(), this::onStreamFailure);
        } else {
          readWhole();
        }
      }
    });
  }

  private void readWhole() {
    call.body().onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      try {
        response = provider.adapter().decode(ar.result());
      } catch (UpstreamFailure f) {
        fail(f);
        return;
      }
      ttftNanos = System.nanoTime() - startNanos;
      markReady();
    });
  }

  private void onChunk(ChatChunk chunk) {
    if (finished) {
      return;
    }
    countText(chunk);
    if (span != null) {
      span.chunk(chunk);
    }
    if (sink != null) {
      if (chunk.error() != null) {
        onStreamFailure(chunk.asUpstreamError());
      } else {
        sink.chunk(chunk);
      }
      return;
    }
    if (chunk.error() != null) {
      fail(new UpstreamFailure(chunk.asUpstreamError()));
      return;
    }
    buffered.add(chunk);
    if (!ready && chunk.isFirstTokenEvidence()) {
      ttftNanos = System.nanoTime() - startNanos;
      markReady();
    }
  }

  private void countText(ChatChunk chunk) {
    if (chunk.chunk() == null) {
      return;
    }
    for (var choice : chunk.chunk().choices()) {
      var d = choice.delta();
      seenTextChars += (d.content() == null ? 0 : d.content().length())
          + (d.reasoningContent() == null ? 0 : d.reasoningContent().length());
      if (d.toolCalls() != null) {
        for (var t : d.toolCalls()) {
          seenTextChars += (t.arguments() == null ? 0 : t.arguments().length()) + (t.name() == null ? 0 : t.name().length());
        }
      }
    }
  }

  /**
   * The attempt's token usage, and whether it had to be estimated: a stream that ended without its
   * final usage (cut, or cancelled when its client left) is estimated from what it delivered, at
   * about four characters a token, with {@code inputEstimate} for the prompt.
   */
  @Override
  public BillableUsage usage(long inputEstimate) {
    TokenUsage reported = response != null ? response.usage() : translator != null ? translator.usage() : TokenUsage.ZERO;
    boolean complete = response != null || translator != null && translator.completed();
    if (complete || !reported.equals(TokenUsage.ZERO) || seenTextChars == 0) {
      return new BillableUsage(reported, false);
    }
    long output = (seenTextChars + 3) / 4;
    return new BillableUsage(new TokenUsage(inputEstimate, output, 0, 0, 0), true);
  }

  private dev.sluice.admission.AdaptiveLimit adaptiveLimit;

  void adaptiveLimit(dev.sluice.admission.AdaptiveLimit limit) {
    this.adaptiveLimit = limit;
  }

  /** The target's adaptive concurrency slot this attempt holds (released once, by its execution). */
  dev.sluice.admission.AdaptiveLimit adaptiveLimit() {
    return adaptiveLimit;
  }

  @Override
  public String modelEntry() {
    return modelEntry;
  }

  @Override
  public boolean retry() {
    return retry;
  }

  private void onUpstreamEnd() {
    translator.onEnd(this::onChunk);
    upstreamEnded = true;
    if (finished) {
      return;
    }
    if (sink != null) {
      endCommitted();
    } else if (!ready) {
      if (translator.completed()) {
        ttftNanos = System.nanoTime() - startNanos;
        markReady(); // a complete stream without a token (an empty answer) is still an answer
      } else {
        fail(new UpstreamFailure(UpstreamError.of(ErrorClass.CONNECTION, status,
            "the stream ended before its first token")));
      }
    }
  }

  private void onStreamFailure(UpstreamError failure) {
    if (finished) {
      return;
    }
    UpstreamError error = provider.redact(failure);
    if (sink != null) {
      finished = true;
      endNanos = System.nanoTime();
      outcome = error.errorClass().wireName();
      call.cancel();
      sink.failed(error);
    } else {
      fail(new UpstreamFailure(error));
    }
  }

  private void markReady() {
    ready = true;
    listener.onReady(this);
  }

  /**
   * Commits a ready stream to {@code sink}: the buffered chunks are replayed, then live ones follow.
   * Only for streamed attempts.
   */
  void relayTo(Sink target) {
    this.sink = target;
    outcome = "ok";
    List<ChatChunk> replay = List.copyOf(buffered);
    buffered.clear();
    for (ChatChunk c : replay) {
      target.chunk(c);
    }
    if (upstreamEnded && !finished) {
      endCommitted();
    }
  }

  private void endCommitted() {
    finished = true;
    endNanos = System.nanoTime();
    if (translator.completed()) {
      sink.end();
    } else {
      outcome = "connection";
      sink.failed(UpstreamError.of(ErrorClass.CONNECTION, status, "the stream ended before it was complete"));
    }
  }

  /** A whole answer was taken: the attempt is done. */
  void completeWhole() {
    finished = true;
    endNanos = System.nanoTime();
    outcome = "ok";
  }

  /** Abandons the attempt (client gone, hedge lost, deadline): nothing more is reported. */
  void cancel(String why) {
    if (finished) {
      return;
    }
    finished = true;
    endNanos = System.nanoTime();
    outcome = why;
    if (call != null) {
      call.cancel();
    }
  }

  private void fail(Throwable cause) {
    if (finished) {
      return;
    }
    finished = true;
    endNanos = System.nanoTime();
    UpstreamError error = cause instanceof UpstreamFailure f ? provider.redact(f.error())
        : UpstreamError.of(ErrorClass.SERVER_ERROR, status, "Sluice failed to handle the provider's answer");
    outcome = error.errorClass().wireName();
    listener.onFailed(this, error);
  }

  /** Backpressure from the client, for committed streams. */
  void pause() {
    call.pause();
  }

  void resume() {
    call.resume();
  }

  ChatResponse response() {
    return response;
  }

  StreamTranslator translator() {
    return translator;
  }

  boolean isFinished() {
    return finished;
  }

  /** Nanoseconds from sending to the first token (or the whole answer); negative if none came. */
  @Override
  public long ttftNanos() {
    return ttftNanos;
  }

  @Override
  public long latencyNanos() {
    return (endNanos < 0 ? System.nanoTime() : endNanos) - startNanos;
  }

  /** Whether the request was written on a connection (it may have reached the provider). */
  boolean written() {
    return call != null && call.writtenAtNanos() >= 0;
  }

  /**
   * What the target's adaptive limit judges: the time to the first token (or the whole answer, or,
   * without either, to now or the end), counted from when the request was written on a connection.
   * {@link #ttftNanos()} counts from the attempt's start and so also holds the wait for a free stream
   * or a connection being opened: on a cold pool under a burst that wait (TLS handshakes on busy event
   * loops) reached seconds, read as the provider slowing down, and cut the limit while the provider
   * answered in milliseconds. A provider too slow to accept connections shows as connect timeouts,
   * which its breaker counts ({@link TargetFeedback#dropsLoad}).
   */
  long targetLatencyNanos() {
    long sinceStart = ttftNanos >= 0 ? ttftNanos : latencyNanos();
    long written = call == null ? -1 : call.writtenAtNanos();
    return written < 0 ? sinceStart : Math.min(sinceStart, sinceStart - (written - startNanos));
  }

  @Override
  public long startedAtMillis() {
    return startedAtMillis;
  }

  long sentAtNanos() {
    return call.sentAtNanos();
  }

  @Override
  public int status() {
    return status;
  }

  /** The upstream's response headers, or null when no response came. */
  io.vertx.core.MultiMap responseHeaders() {
    return call != null && status > 0 ? call.headers() : null;
  }

  @Override
  public String outcome() {
    return outcome;
  }
}
