import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent-streams load: {@code users} virtual clients, each on its own keep-alive connection,
 * start over {@code rampSec} seconds and then open streamed chat requests back to back until
 * {@code rampSec + holdSec} have passed, so about {@code users} streams are open at every moment of
 * the hold. A stream succeeds when it answers 200 and ends with {@code data: [DONE]} after at least
 * {@code minEvents} events. Samples the open-stream count and the VmRSS of the given processes
 * (summed) every 250 ms during the hold. Prints one JSON line.
 *
 * <p>Usage: {@code java -cp sluice.jar StreamLoad.java URL MODEL USERS RAMP_S HOLD_S MIN_EVENTS
 * 'h: v|h: v' PID[,PID...]}; env {@code PROMPT_BYTES}: the user message's length (default "hi").
 * Bounded: every request has a 30 s idle timeout and the run a hard stop at ramp + hold + 40 s.
 * Only talks to the URL given.
 */
public final class StreamLoad {

  public static void main(String[] args) throws Exception {
    java.net.URI url = java.net.URI.create(args[0]);
    String model = args[1];
    int users = Integer.parseInt(args[2]);
    double rampSec = Double.parseDouble(args[3]);
    double holdSec = Double.parseDouble(args[4]);
    int minEvents = Integer.parseInt(args[5]);
    String headerSpec = args.length > 6 ? args[6] : "";
    String pidSpec = args.length > 7 ? args[7] : "";
    // PROMPT_BYTES: the user message's length (ASCII), for memory per stream with a realistic prompt.
    int promptBytes = Integer.parseInt(System.getenv().getOrDefault("PROMPT_BYTES", "0"));
    String prompt = promptBytes > 0 ? "lorem ipsum dolor sit amet ".repeat(promptBytes / 27 + 1).substring(0, promptBytes) : "hi";
    String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    Buffer bodyBuf = Buffer.buffer(body);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    HttpClientAgent http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true).setConnectTimeout(10_000)
            .setDefaultHost(url.getHost()).setDefaultPort(url.getPort()))
        .with(new PoolOptions().setHttp1MaxSize(users).setMaxWaitQueueSize(-1))
        .build();

    long t0 = System.nanoTime();
    long rampEnd = t0 + (long) (rampSec * 1e9);
    long holdEnd = rampEnd + (long) (holdSec * 1e9);
    AtomicInteger open = new AtomicInteger();
    AtomicLong started = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch finished = new CountDownLatch(users);
    Map<String, String> samples = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Queue<Double> durations = new java.util.concurrent.ConcurrentLinkedQueue<>();

    RequestOptions base = new RequestOptions().setMethod(HttpMethod.POST).setURI(url.getRawPath())
        .setIdleTimeout(30_000).putHeader("content-type", "application/json");
    for (String h : headerSpec.split("\\|")) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        base.putHeader(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
      }
    }

    class User {
      void next() {
        if (System.nanoTime() >= holdEnd) {
          finished.countDown();
          return;
        }
        started.incrementAndGet();
        open.incrementAndGet();
        long begin = System.nanoTime();
        http.request(new RequestOptions(base))
            .compose(req -> req.send(bodyBuf))
            .compose(resp -> {
              if (resp.statusCode() != 200) {
                return resp.body().map(b -> {
                  String kind = "status_" + resp.statusCode();
                  if (samples.putIfAbsent(kind, b.toString()) == null) {
                    System.err.println("sample " + kind + " " + resp.headers().get("x-sluice-attempts") + " "
                        + b.toString().substring(0, Math.min(400, b.length())));
                  }
                  return kind;
                });
              }
              int[] events = new int[1];
              byte[] tail = new byte[16];
              int[] tailLen = new int[1];
              resp.handler(chunk -> {
                // Count "\n\n" event separators, including one split across chunks.
                byte[] b = chunk.getBytes();
                byte prev = tailLen[0] > 0 ? tail[tailLen[0] - 1] : 0;
                for (byte c : b) {
                  if (c == '\n' && prev == '\n') {
                    events[0]++;
                  }
                  prev = c;
                }
                int keep = Math.min(tail.length, tailLen[0] + b.length);
                byte[] merged = new byte[tailLen[0] + b.length];
                System.arraycopy(tail, 0, merged, 0, tailLen[0]);
                System.arraycopy(b, 0, merged, tailLen[0], b.length);
                System.arraycopy(merged, merged.length - keep, tail, 0, keep);
                tailLen[0] = keep;
              });
              return resp.end().map(v -> {
                String end = new String(tail, 0, tailLen[0], java.nio.charset.StandardCharsets.US_ASCII);
                if (!end.contains("[DONE]")) {
                  return "no_done";
                }
                return events[0] >= minEvents ? null : "too_few_events";
              });
            })
            .onComplete(ar -> {
              open.decrementAndGet();
              String failure = ar.succeeded() ? ar.result() : classify(ar.cause());
              if (!ar.succeeded() && samples.putIfAbsent(failure, String.valueOf(ar.cause())) == null) {
                System.err.println("sample " + failure + " " + ar.cause());
              }
              if (failure == null) {
                ok.incrementAndGet();
                durations.add((System.nanoTime() - begin) / 1e9);
              } else {
                failures.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
              }
              next();
            });
      }
    }

    for (int i = 0; i < users; i++) {
      long delayNanos = (long) (rampSec * 1e9 * i / users);
      long delayMs = Math.max(1, delayNanos / 1_000_000);
      vertx.setTimer(delayMs, id -> new User().next());
    }

    // Sampling during the hold: open streams and the gateway's resident memory.
    List<Integer> openSamples = new ArrayList<>();
    List<Long> rssSamples = new ArrayList<>();
    long hardStop = holdEnd + 40_000_000_000L;
    while (System.nanoTime() < holdEnd) {
      Thread.sleep(250);
      long now = System.nanoTime();
      if (now >= rampEnd + 1_000_000_000L && now < holdEnd) { // 1 s to settle after the ramp
        openSamples.add(open.get());
        long rss = rssKb(pidSpec);
        if (rss > 0) {
          rssSamples.add(rss);
        }
      }
    }
    boolean drained = finished.await(Math.max(1, (hardStop - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    long stillOpen = open.get();
    long total = ok.get() + failures.values().stream().mapToLong(AtomicLong::get).sum() + stillOpen;
    Map<String, Long> fail = new TreeMap<>();
    failures.forEach((k, v) -> fail.put(k, v.get()));
    if (stillOpen > 0) {
      fail.put("unfinished", stillOpen);
    }
    StringBuilder failJson = new StringBuilder("{");
    fail.forEach((k, v) -> failJson.append(failJson.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    failJson.append('}');
    int minOpen = openSamples.stream().mapToInt(Integer::intValue).min().orElse(0);
    double meanOpen = openSamples.stream().mapToInt(Integer::intValue).average().orElse(0);
    long maxRss = rssSamples.stream().mapToLong(Long::longValue).max().orElse(0);
    double meanRss = rssSamples.stream().mapToLong(Long::longValue).average().orElse(0);
    double[] dur = durations.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double durP50 = dur.length == 0 ? 0 : dur[Math.min(dur.length - 1, (int) Math.ceil(0.50 * dur.length) - 1)];
    double durP99 = dur.length == 0 ? 0 : dur[Math.min(dur.length - 1, Math.max(0, (int) Math.ceil(0.99 * dur.length) - 1))];
    System.out.printf(Locale.ROOT,
        "{\"users\":%d,\"streams\":%d,\"ok\":%d,\"success\":%.5f,\"failures\":%s,\"open_min\":%d,\"open_mean\":%.0f,"
            + "\"rss_max_mb\":%.1f,\"rss_mean_mb\":%.1f,\"dur_p50_s\":%.2f,\"dur_p99_s\":%.2f,\"drained\":%s,\"seconds\":%.1f}%n",
        users, total, ok.get(), total == 0 ? 0 : ok.get() / (double) total, failJson, minOpen, meanOpen,
        maxRss / 1024.0, meanRss / 1024.0, durP50, durP99, drained, (System.nanoTime() - t0) / 1e9);
    http.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static String classify(Throwable t) {
    String name = t.getClass().getSimpleName();
    String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    if (msg.contains("timeout") || msg.contains("timed out")) {
      return "timeout";
    }
    if (msg.contains("connection refused")) {
      return "refused";
    }
    if (msg.contains("reset")) {
      return "reset";
    }
    if (msg.contains("closed")) {
      return "closed";
    }
    return name;
  }

  /** Sum of VmRSS (kB) over the pids, 0 when none could be read. */
  private static long rssKb(String pids) {
    long sum = 0;
    for (String p : pids.split(",")) {
      if (p.isBlank()) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc", p.trim(), "status"))) {
          if (line.startsWith("VmRSS:")) {
            sum += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (Exception ignored) {
        // process gone: counts as 0
      }
    }
    return sum;
  }
}
