package dev.sluice.bench;

import dev.sluice.admission.TokenEstimator;
import dev.sluice.server.ServerBenchAccess;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The prompt estimate every chat request gets (tpm reservations, a budget's worst case) for an
 * OpenAI-family model name, counted with o200k_base: the ~4 kB conversation of
 * {@link RequestBench#STREAM_REQUEST}. Apart from RequestBench because the encoding's tables (tens of
 * MB, built in {@link #setUp}) would weigh on that bench's small steps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PromptEstimateBench {
  private final TokenEstimator estimator = new TokenEstimator();
  /** The texts of the conversation's messages, as the estimate reads them. */
  private List<String> texts;
  private long calls;

  @Setup
  public void setUp() {
    texts = ServerBenchAccess.parse(Buffer.buffer(RequestBench.STREAM_REQUEST)).body().messages().stream()
        .map(m -> m.content().text()).toList();
    estimator.warmUp();
  }

  /** The conversation's next call: the same texts again, each in a String of its own. */
  @Benchmark
  public long samePrompt() {
    List<String> again = new ArrayList<>(texts.size());
    for (String t : texts) {
      again.add(new String(t.toCharArray()));
    }
    return estimator.estimateInput("gpt-4o-mini", again, 0, again.size());
  }

  /** The same with a system prompt never seen before on every call: that text is tokenized. */
  @Benchmark
  public long newSystemPrompt() {
    List<String> changed = new ArrayList<>(texts);
    changed.set(0, (calls++) + changed.get(0));
    return estimator.estimateInput("gpt-4o-mini", changed, 0, changed.size());
  }
}
