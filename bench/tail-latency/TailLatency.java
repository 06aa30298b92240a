import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Tail-latency benchmark: the same heavy-tailed upstream behind two Sluice model entries, one
 * plain and one hedged; reports p50/p95/p99 for each and the hedged entry's extra-attempt ratio.
 * Run by run.sh (java TailLatency.java URL KEY REQUESTS CONCURRENCY); arms interleave in rounds so
 * machine noise hits both alike. Sends only to the URL given (loopback) and stops by itself.
 */
public final class TailLatency {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String key = args[1];
    int requests = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Long> plain = new ArrayList<>();
    List<Long> hedged = new ArrayList<>();
    long[] hedges = new long[1];
    int rounds = 4;
    for (int round = 0; round < rounds; round++) {
      plain.addAll(run(http, url, key, "plain", requests / rounds, concurrency, null));
      hedged.addAll(run(http, url, key, "hedged", requests / rounds, concurrency, hedges));
    }
    Collections.sort(plain);
    Collections.sort(hedged);
    System.out.printf("{\"requests_per_arm\":%d,\"concurrency\":%d,%n", plain.size(), concurrency);
    System.out.printf(" \"plain\":{\"p50_ms\":%d,\"p95_ms\":%d,\"p99_ms\":%d},%n", pct(plain, 50), pct(plain, 95), pct(plain, 99));
    System.out.printf(" \"hedged\":{\"p50_ms\":%d,\"p95_ms\":%d,\"p99_ms\":%d},%n", pct(hedged, 50), pct(hedged, 95), pct(hedged, 99));
    System.out.printf(" \"p99_ratio_hedged_over_plain\":%.3f,\"extra_attempt_ratio\":%.3f}%n",
        pct(hedged, 99) / (double) pct(plain, 99), hedges[0] / (double) hedged.size());
  }

  private static List<Long> run(HttpClient http, String url, String key, String model, int n, int concurrency,
      long[] hedges) throws Exception {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    Semaphore slots = new Semaphore(concurrency);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      slots.acquire();
      long start = System.nanoTime();
      HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
          .header("authorization", "Bearer " + key).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      all.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((res, err) -> {
        latencies.add((System.nanoTime() - start) / 1_000_000);
        if (hedges != null && res != null && res.headers().firstValue("x-sluice-attempts").orElse("").contains(";hedge")) {
          synchronized (hedges) {
            hedges[0]++;
          }
        }
        slots.release();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    return latencies;
  }

  private static long pct(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
  }
}
