import dev.sluice.admission.*;
import dev.sluice.core.Ticker;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The in-process rate limiter's own cost per request, as the bench config exercises it (issue 19,
 * twenty-first pass; bench/results/throughput.md): rpm, tpm and concurrency on a key, rpm and tpm on
 * its team and on the model entry, reserved with a prompt estimate, the x-ratelimit-* header map built,
 * then settled on the real token count. CPU and bytes allocated of the calling thread, 200,000
 * requests per round, rounds 3-7 printed.
 *
 *   java -cp gateway/target/sluice.jar bench/throughput/LimiterCost.java
 */
public class LimiterCost {
  static volatile Object sink;
  public static void main(String[] a) {
    LocalRateLimiter l = new LocalRateLimiter(Ticker.system());
    List<ScopedLimit> limits = List.of(
        new ScopedLimit(Scope.key("bench"), new LimitSpec(100000000, 10000000000L, 50000)),
        new ScopedLimit(Scope.team("bench-team"), new LimitSpec(100000000, 10000000000L, 0)),
        new ScopedLimit(Scope.model("bench-canned"), new LimitSpec(100000000, 10000000000L, 0)));
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int n = 200_000;
    for (int r = 0; r < 8; r++) {
      long c0 = mx.getCurrentThreadCpuTime(), b0 = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < n; i++) {
        Admission ad = l.tryReserve(limits, 30);
        sink = ad.headers().toMap();
        ad.reservation().settle(43);
      }
      long c1 = mx.getCurrentThreadCpuTime(), b1 = mx.getThreadAllocatedBytes(tid);
      if (r >= 3) System.out.printf("round %d: %.0f ns, %.0f B per reserve+headers+settle%n", r, (c1 - c0) / (double) n, (b1 - b0) / (double) n);
    }
  }
}
