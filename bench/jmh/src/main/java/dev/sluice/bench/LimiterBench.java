package dev.sluice.bench;

import dev.sluice.admission.AdaptiveLimit;
import dev.sluice.admission.Admission;
import dev.sluice.admission.LimitSpec;
import dev.sluice.admission.LocalRateLimiter;
import dev.sluice.admission.Scope;
import dev.sluice.admission.ScopedLimit;
import dev.sluice.admission.TokenEstimator;
import dev.sluice.core.Ticker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Admission on the request path: reserving rpm + tpm + concurrency on the four scopes a request
 * touches (key, team, model entry, target) and settling on the real tokens; a target's adaptive
 * concurrency slot taken and released; the prompt's token estimate (o200k) for a short chat.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LimiterBench {
  private LocalRateLimiter limiter;
  private List<ScopedLimit> limits;
  private AdaptiveLimit adaptive;
  private TokenEstimator estimator;
  private List<String> prompt;

  @Setup
  public void setUp() {
    limiter = new LocalRateLimiter(Ticker.system());
    LimitSpec generous = new LimitSpec(100_000_000, 10_000_000_000L, 50_000);
    limits = List.of(new ScopedLimit(Scope.key("bench"), generous), new ScopedLimit(Scope.team("bench-team"), generous),
        new ScopedLimit(Scope.model("bench-canned"), generous), new ScopedLimit(Scope.target("canned-a/gpt-4o-mini"), generous));
    adaptive = AdaptiveLimit.gatewayDefault(Ticker.system());
    estimator = new TokenEstimator();
    estimator.warmUpFor(List.of("gpt-4o-mini"));
    prompt = List.of("You are a helpful assistant.", "Say hello in one short sentence.");
  }

  /** Four scopes reserved at once (all or nothing), then settled on the answer's real tokens. */
  @Benchmark
  public boolean reserveAndSettleFourScopes() {
    Admission a = limiter.tryReserve(limits, 120);
    a.reservation().settle(95);
    return a.admitted();
  }

  /** A target's adaptive concurrency slot: taken, then released on success. */
  @Benchmark
  public boolean adaptiveAcquireAndSucceed() {
    boolean ok = adaptive.tryAcquire();
    adaptive.onSuccess(250_000_000L);
    return ok;
  }

  /** The input-token estimate of a short two-message chat (o200k, the real encoding). */
  @Benchmark
  public long estimateShortPrompt() {
    return estimator.estimateInput("gpt-4o-mini", prompt, 0, 2);
  }
}
