import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What tracing and the request log cost: the same Sluice build with and without them, and the build
 * before them, measured in interleaved rounds against one canned upstream. Each round runs every arm
 * at concurrency 64 (throughput) and at concurrency 1 (p50/p99), in an order rotated per round;
 * figures are medians over rounds of ratios to the baseline arm within the same round.
 *
 * <p>Usage (run.sh starts the gateways): {@code java ObservabilityCost.java SINK_PORT ROUNDS SECONDS
 * name=url ...}: the first arm is the baseline. Also serves a no-op OTLP/HTTP sink on SINK_PORT
 * (answers every POST 200 and counts the bytes measured phases exported), so traced arms export for real. Sends only to
 * loopback; stops by itself.
 */
public final class ObservabilityCost {
  private static final String KEY = "sk-bench-obs-0001";
  private static final String BODY = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  record Figures(double rps, double p50Ms, double p99Ms) {}

  public static void main(String[] args) throws Exception {
    int sinkPort = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    Map<String, String> arms = new LinkedHashMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      arms.put(kv[0], kv[1]);
    }
    AtomicLong exported = new AtomicLong();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", sinkPort), 64);
    sink.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        exported.addAndGet(in.readAllBytes().length);
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    sink.start();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int w = 0; w < 2; w++) {
      for (String url : arms.values()) {
        run(http, url, 64, 8); // warm-up: JIT, pools, tokenizer tables, the traced arm's exporter connection
      }
    }
    exported.set(0);
    List<String> names = new ArrayList<>(arms.keySet());
    Map<String, List<Figures>> per = new LinkedHashMap<>();
    names.forEach(n -> per.put(n, new ArrayList<>()));
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < names.size(); k++) {
        String name = names.get((k + r) % names.size());
        double rps = run(http, arms.get(name), 64, seconds).rps();
        Figures lat = run(http, arms.get(name), 1, seconds);
        per.get(name).add(new Figures(rps, lat.p50Ms(), lat.p99Ms()));
      }
    }
    sink.stop(0);
    String base = names.get(0);
    StringBuilder json = new StringBuilder("{\"rounds\":" + rounds + ",\"seconds_per_phase\":" + seconds
        + ",\"otlp_bytes_received\":" + exported.get() + ",\"arms\":{");
    for (String n : names) {
      List<Figures> f = per.get(n);
      List<Figures> b = per.get(base);
      double[] tput = new double[rounds];
      double[] p50 = new double[rounds];
      double[] p99 = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        tput[r] = f.get(r).rps() / b.get(r).rps();
        p50[r] = f.get(r).p50Ms() - b.get(r).p50Ms();
        p99[r] = f.get(r).p99Ms() - b.get(r).p99Ms();
      }
      json.append(n.equals(names.get(0)) ? "" : ",").append("\"").append(n).append("\":{")
          .append("\"rps\":").append(Arrays.toString(f.stream().mapToDouble(Figures::rps).map(Math::round).toArray()))
          .append(",\"c1_p50_ms\":").append(Arrays.toString(f.stream().mapToDouble(Figures::p50Ms).toArray()))
          .append(",\"c1_p99_ms\":").append(Arrays.toString(f.stream().mapToDouble(Figures::p99Ms).toArray()))
          .append(String.format(",\"throughput_vs_%s_median\":%.3f,\"c1_p50_added_ms_median\":%.3f,"
              + "\"c1_p99_added_ms_median\":%.3f}", base, median(tput), median(p50), median(p99)));
    }
    System.out.println(json.append("}}"));
  }

  /** {@code concurrency} clients sending back to back for {@code seconds}; latencies of successes only. */
  private static Figures run(HttpClient http, String url, int concurrency, int seconds) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    for (int i = 0; i < concurrency; i++) {
      long[] lat = new long[2_000_000];
      long[] n = new long[1];
      perThread.add(lat);
      Thread t = new Thread(() -> {
        int count = 0;
        while (!stop.get()) {
          long start = System.nanoTime();
          try {
            HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() == 200) {
              if (count < lat.length - 1) {
                lat[++count] = System.nanoTime() - start;
              }
              ok.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
        lat[0] = count;
      });
      threads.add(t);
      t.start();
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    if (failed.get() > ok.get() / 100) {
      throw new IllegalStateException(url + ": " + failed.get() + " failed of " + (ok.get() + failed.get()));
    }
    int total = 0;
    for (long[] l : perThread) {
      total += (int) l[0];
    }
    long[] all = new long[total];
    int at = 0;
    for (long[] l : perThread) {
      System.arraycopy(l, 1, all, at, (int) l[0]);
      at += (int) l[0];
    }
    Arrays.sort(all);
    return new Figures(ok.get() / (double) seconds, all[(int) (all.length * 0.50)] / 1e6,
        all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
