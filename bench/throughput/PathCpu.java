import dev.sluice.bench.RequestBench;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Thread CPU time and bytes allocated per operation of the gateway's own JSON steps and the cost of one
 * non-streamed request (bench/jmh RequestBench's fixtures: the wrk body and the canned answer), and of
 * a ~4 kB conversation's prompt estimate for an OpenAI-family model (PromptEstimateBench),
 * measured with ThreadMXBean so that time the thread spends descheduled on a loaded machine does
 * not count. Run on the class path of the jar under test:
 *   java -cp bench/jmh/target/benchmarks.jar:<sluice.jar>:<classes> PathCpu [iterations]
 * Prints one JSON object: per step, ns of CPU and bytes per operation (median of 5 batches).
 */
public final class PathCpu {
  static volatile Object sink;

  private static dev.sluice.bench.PromptEstimateBench estimates(dev.sluice.bench.PromptEstimateBench[] made) {
    if (made[0] == null) {
      made[0] = new dev.sluice.bench.PromptEstimateBench();
      made[0].setUp();
    }
    return made[0];
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    RequestBench b = new RequestBench();
    b.setUp();
    Map<String, Supplier<Object>> steps = new LinkedHashMap<>();
    steps.put("decodeRequest", b::decodeRequest);
    steps.put("encodeUpstream", b::encodeUpstream);
    steps.put("encodeStreamUpstream", b::encodeStreamUpstream);
    steps.put("decodeAnswer", b::decodeAnswer);
    steps.put("encodeAnswer", b::encodeAnswer);
    var price = dev.sluice.cost.ModelPrice.flat("0.15", "0.60", "bench");
    var usage = new dev.sluice.core.TokenUsage(24, 19, 0, 0, 0);
    steps.put("cost", () -> dev.sluice.cost.CostCalculator.cost(price, usage));
    steps.put("all", () -> {
      b.decodeRequest();
      b.encodeUpstream();
      b.decodeAnswer();
      b.encodeAnswer();
      return dev.sluice.cost.CostCalculator.cost(price, usage);
    });
    // Last: the encoding's tables, built on first use, would weigh on the small steps above.
    var estimates = new dev.sluice.bench.PromptEstimateBench[1];
    steps.put("estimatePrompt", () -> estimates(estimates).samePrompt());
    steps.put("estimateNewPrompt", () -> estimates(estimates).newSystemPrompt());
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    StringBuilder out = new StringBuilder("{");
    for (var e : steps.entrySet()) {
      for (int i = 0; i < n * 2; i++) {
        sink = e.getValue().get(); // warm-up: C2
      }
      double[] cpu = new double[5];
      double[] alloc = new double[5];
      for (int r = 0; r < 5; r++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long a0 = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < n; i++) {
          sink = e.getValue().get();
        }
        cpu[r] = (mx.getCurrentThreadCpuTime() - c0) / (double) n;
        alloc[r] = (mx.getThreadAllocatedBytes(tid) - a0) / (double) n;
      }
      java.util.Arrays.sort(cpu);
      java.util.Arrays.sort(alloc);
      out.append(out.length() > 1 ? "," : "").append(String.format(java.util.Locale.ROOT,
          "\"%s\":{\"cpu_ns\":%.0f,\"alloc_b\":%.0f}", e.getKey(), cpu[2], alloc[2]));
    }
    System.out.println(out.append('}'));
  }
}
