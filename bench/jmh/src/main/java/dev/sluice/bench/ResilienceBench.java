package dev.sluice.bench;

import dev.sluice.resilience.BreakerConfig;
import dev.sluice.resilience.CircuitBreaker;
import dev.sluice.resilience.HedgeBudget;
import dev.sluice.resilience.RetryBudget;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-attempt bookkeeping on the request path: a closed breaker admitting a call and recording
 * its success, and the retry / hedge budgets counting a request and asking for an extra attempt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResilienceBench {
  private CircuitBreaker breaker;
  private RetryBudget retryBudget;
  private HedgeBudget hedgeBudget;

  @Setup
  public void setUp() {
    breaker = new CircuitBreaker(BreakerConfig.defaults(), System::nanoTime);
    retryBudget = new RetryBudget(System::nanoTime);
    hedgeBudget = new HedgeBudget(System::nanoTime);
  }

  /** A closed breaker: tryAcquire, then the call's success is recorded. */
  @Benchmark
  public boolean breakerAcquireAndRecordSuccess() {
    boolean admitted = breaker.tryAcquire();
    breaker.onSuccess();
    return admitted;
  }

  /** A first attempt is counted, then a retry is asked for (mostly refused at 20%). */
  @Benchmark
  public boolean retryBudgetRequestAndAcquire() {
    retryBudget.onRequest();
    return retryBudget.tryAcquireRetry();
  }

  @Benchmark
  public boolean hedgeBudgetRequestAndAcquire() {
    hedgeBudget.onRequest();
    return hedgeBudget.tryAcquireHedge();
  }
}
