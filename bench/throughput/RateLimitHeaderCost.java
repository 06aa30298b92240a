import dev.sluice.admission.RateLimitHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Thread CPU per answer of putting the client's six {@code x-ratelimit-*} headers on it (issue 19,
 * twenty-fourth pass): before, {@code RateLimitHeaders.toMap()} (a LinkedHashMap by String name)
 * copied into the response's header map; after, {@code writeTo} straight into it with pre-hashed
 * names. The response's map is Vert.x's {@code HeadersMultiMap}, as {@code putHeader} fills it. Arms
 * alternate batch by batch in one JVM.
 *   java -cp gateway/target/sluice.jar bench/throughput/RateLimitHeaderCost.java [batches]
 */
public final class RateLimitHeaderCost {
  static volatile Object sink;

  public static void main(String[] args) {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int ops = 200_000;
    RateLimitHeaders limits = new RateLimitHeaders(
        Optional.of(new RateLimitHeaders.Quota(600_000, 599_321, Duration.ofMillis(100))),
        Optional.of(new RateLimitHeaders.Quota(100_000_000, 99_873_210, Duration.ofMillis(1_250))));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] ns = new double[2][batches];
    for (int b = 0; b < batches + 5; b++) {
      for (int arm = 0; arm < 2; arm++) {
        int a = (arm + b) % 2;
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
          MultiMap response = HeadersMultiMap.httpHeaders();
          if (a == 0) {
            limits.toMap().forEach(response::set);
          } else {
            limits.writeTo(response::set);
          }
          sink = response;
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (b >= 5) {
          ns[a][b - 5] = (t1 - t0) / (double) ops;
        }
      }
    }
    String[] label = {"toMap() copied in by String name (before)", "writeTo() with pre-hashed names (after)"};
    for (int a = 0; a < 2; a++) {
      double[] v = ns[a].clone();
      Arrays.sort(v);
      System.out.printf("%-45s median %6.1f ns  (p10 %6.1f, p90 %6.1f)%n", label[a], v[v.length / 2], v[v.length / 10], v[v.length * 9 / 10]);
    }
  }
}
