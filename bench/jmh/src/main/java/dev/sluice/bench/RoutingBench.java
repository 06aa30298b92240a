package dev.sluice.bench;

import dev.sluice.core.Target;
import dev.sluice.resilience.TargetSignals;
import dev.sluice.routing.RoutingPolicy;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One routing decision over four targets: weighted random, and latency (peak-EWMA, P2C). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBench {
  private final List<Target> targets = List.of(
      new Target("openai", "gpt-4o-mini", 4), new Target("azure", "gpt-4o-mini", 3),
      new Target("groq", "llama-3.1-8b", 2), new Target("local", "qwen2.5-7b", 1));
  private final RoutingPolicy weighted = RoutingPolicy.weighted(ThreadLocalRandom::current);
  private final RoutingPolicy latency = RoutingPolicy.latency(ThreadLocalRandom::current);
  private TargetSignals signals;

  @Setup
  public void setUp() {
    signals = new TargetSignals(System::nanoTime);
    long[] ttftMs = {180, 220, 90, 400};
    for (int i = 0; i < targets.size(); i++) {
      for (int k = 0; k < 50; k++) {
        signals.latencyTracker(targets.get(i)).record(ttftMs[i] * 1_000_000L);
      }
      for (int k = 0; k < i * 3; k++) {
        signals.inFlightCounter(targets.get(i)).incrementAndGet();
      }
    }
  }

  @Benchmark
  public List<Target> weighted4() {
    return weighted.order(targets, signals);
  }

  @Benchmark
  public List<Target> latencyP2C4() {
    return latency.order(targets, signals);
  }
}
