import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Thread CPU per operation of the header work Sluice does on every non-streamed answer (issue 19,
 * twenty-third pass): reading the ten rate-limit names of ProviderHeadroom from an upstream answer's
 * headers (a Netty header map behind Vert.x's adaptor, as the HTTP client gives it) and building the
 * OpenAI adapter's two request headers, once with String names and values (before) and once with
 * pre-hashed AsciiString constants (after). Arms alternate batch by batch in one JVM.
 *   java -cp gateway/target/sluice.jar bench/throughput/HeaderNameCost.java [batches]
 */
public final class HeaderNameCost {
  static volatile Object sink;
  static final String[] NAMES = {"x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
      "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-tokens-remaining",
      "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
      "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens",
      "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset",
      "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset"};
  static final CharSequence[] OPTIMIZED = Arrays.stream(NAMES).map(HttpHeaders::createOptimized).toArray(CharSequence[]::new);
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  public static void main(String[] args) {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int ops = 200_000;
    DefaultHttpHeaders netty = new DefaultHttpHeaders();
    // what the bench's canned nginx upstream answers with, no rate-limit headers (the common case)
    netty.add("server", "nginx").add("date", "Mon, 07 Dec 2026 17:00:00 GMT").add("content-type", "application/json")
        .add("content-length", "265").add("connection", "keep-alive");
    MultiMap answer = new HeadersAdaptor(netty);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] ns = new double[4][batches];
    for (int b = 0; b < batches + 5; b++) {
      for (int arm = 0; arm < 4; arm++) {
        int a = (arm + b) % 4;
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
          sink = switch (a) {
            case 0 -> readStrings(answer);
            case 1 -> readOptimized(answer);
            case 2 -> MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json").add("accept", "application/json");
            default -> MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, JSON).add(HttpHeaders.ACCEPT, JSON);
          };
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (b >= 5) {
          ns[a][b - 5] = (t1 - t0) / (double) ops;
        }
      }
    }
    String[] label = {"answer headers, 16 reads by String name", "answer headers, 16 reads by AsciiString name",
        "request headers built with String names", "request headers built with AsciiString constants"};
    for (int a = 0; a < 4; a++) {
      double[] v = ns[a].clone();
      Arrays.sort(v);
      System.out.printf("%-50s median %6.1f ns  (p10 %6.1f, p90 %6.1f)%n", label[a], v[v.length / 2], v[v.length / 10], v[v.length * 9 / 10]);
    }
  }

  private static int readStrings(MultiMap h) {
    int n = 0;
    for (String name : NAMES) {
      n += h.get(name) == null ? 0 : 1;
    }
    return n;
  }

  private static int readOptimized(MultiMap h) {
    int n = 0;
    for (CharSequence name : OPTIMIZED) {
      n += h.get(name) == null ? 0 : 1;
    }
    return n;
  }
}
