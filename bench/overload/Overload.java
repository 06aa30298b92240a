import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Goodput under overload: closed-loop clients at 2x, 5x and 10x the target's concurrency for a
 * fixed time each; reports the share of capacity still served and how fast refusals come back.
 * Usage: java Overload.java URL KEY CAPACITY_RPS CAPACITY_CONCURRENCY SECONDS. Loopback only; stops by itself.
 */
public final class Overload {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String key = args[1];
    double capacityRps = Double.parseDouble(args[2]);
    int capacityConcurrency = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    StringBuilder json = new StringBuilder("{\"capacity_rps\":" + capacityRps + ",\"arms\":[");
    int[] factors = {1, 2, 5, 10}; // the 1x arm warms the JIT up and is not reported
    for (int f = 0; f < factors.length; f++) {
      int clients = factors[f] * capacityConcurrency;
      AtomicLong ok = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      List<Long> refusalMs = Collections.synchronizedList(new ArrayList<>());
      List<Long> okMs = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            long start = System.nanoTime();
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                  .timeout(Duration.ofSeconds(10)).header("authorization", "Bearer " + key)
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                  .build(), HttpResponse.BodyHandlers.ofString());
              long ms = (System.nanoTime() - start) / 1_000_000;
              if (r.statusCode() == 200) {
                ok.incrementAndGet();
                okMs.add(ms);
              } else {
                refused.incrementAndGet();
                refusalMs.add(ms);
                Thread.sleep(20); // a refused client backs off briefly, as SDKs do
              }
            } catch (Exception e) {
              refused.incrementAndGet();
            }
          }
        });
        t.start();
        threads.add(t);
      }
      Thread.sleep(seconds * 1000L);
      stop.set(true);
      for (Thread t : threads) {
        t.join(15_000);
      }
      double goodput = ok.get() / (double) seconds;
      if (f == 0) {
        continue;
      }
      json.append(f == 1 ? "" : ",").append(String.format(
          "{\"overload\":\"%dx\",\"clients\":%d,\"ok_per_s\":%.1f,\"share_of_capacity\":%.3f,\"refused\":%d,"
              + "\"refusal_p50_ms\":%d,\"refusal_p99_ms\":%d,\"ok_p50_ms\":%d,\"ok_p99_ms\":%d}",
          factors[f], clients, goodput, goodput / capacityRps, refused.get(), pct(refusalMs, 50), pct(refusalMs, 99),
          pct(okMs, 50), pct(okMs, 99)));
    }
    System.out.println(json.append("]}"));
  }

  private static long pct(List<Long> values, int p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
  }
}
