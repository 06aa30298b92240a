import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded soak: closed-loop clients send mixed traffic (plain and streamed completions, streams
 * the client abandons after the first event, requests the client gives up on after 300 ms) to a
 * gateway whose upstreams inject 503s and stalls. Every SAMPLE_SECONDS it forces a full GC in the
 * gateway and records heap after GC, RSS and open file descriptors. At the end it compares the
 * upstream requests the mock served with the gateway's ledger rows.
 *
 * <p>Usage: java -cp gateway/target/sluice.jar Soak.java GATEWAY_URL KEY GATEWAY_PID MOCK_URL LEDGER_DB SECONDS CLIENTS.
 * Loopback only; stops by itself. Prints one JSON object.
 */
public final class Soak {
  private static final int SAMPLE_SECONDS = 30;
  private static final String PLAIN = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"soak %d\"}]}";
  private static final String STREAM = "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"soak %d\"}]}";
  private static final String SLOW = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"soak %d\"}]}";

  private final String url;
  private final String key;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final Map<String, String> examples = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();

  private Soak(String url, String key) {
    this.url = url;
    this.key = key;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String key = args[1];
    long pid = Long.parseLong(args[2]);
    String mockUrl = args[3];
    String ledgerDb = args[4];
    int seconds = Integer.parseInt(args[5]);
    int clients = Integer.parseInt(args[6]);
    Soak soak = new Soak(url, key);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Random random = new Random(c);
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          soak.oneRequest(random);
        }
      });
      t.start();
      threads.add(t);
    }
    List<long[]> samples = new ArrayList<>(); // {second, heapAfterGcKb, rssKb, fds}
    long start = System.nanoTime();
    long next = 0;
    while (true) {
      long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
      if (elapsed >= next) {
        samples.add(new long[] {elapsed, heapAfterGcKb(pid), rssKb(pid), fds(pid)});
        next += SAMPLE_SECONDS;
      }
      if (elapsed >= seconds) {
        break;
      }
      Thread.sleep(200);
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join(15_000);
    }
    // Drained streams and abandoned requests finish upstream after their clients left; the ledger
    // writer flushes every 100 ms. Wait until both counts stop moving.
    long served = -1;
    long rows = -1;
    long attempts = -1;
    for (int i = 0; i < 60; i++) {
      Thread.sleep(1_000);
      long s = mockServed(soak.http, mockUrl);
      long r = ledgerRows(ledgerDb);
      long a = attemptsCounted(soak.http, url);
      if (s == served && r == rows && a == attempts) {
        break;
      }
      served = s;
      rows = r;
      attempts = a;
    }
    samples.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, heapAfterGcKb(pid), rssKb(pid), fds(pid)});
    System.out.println(soak.report(seconds, clients, samples, served, attempts, rows));
  }

  private void oneRequest(Random random) {
    int pick = random.nextInt(100);
    long n = sent.incrementAndGet();
    try {
      if (pick < 40) {
        HttpResponse<String> r = http.send(post(String.format(PLAIN, n), Duration.ofSeconds(30)),
            HttpResponse.BodyHandlers.ofString());
        count("plain", r.statusCode(), r.body());
      } else if (pick < 80) {
        stream(n, false);
      } else if (pick < 90) {
        stream(n, true);
      } else {
        try {
          HttpResponse<String> r = http.send(post(String.format(SLOW, n), Duration.ofMillis(300)),
              HttpResponse.BodyHandlers.ofString());
          count("hang_up", r.statusCode(), r.body());
        } catch (java.net.http.HttpTimeoutException e) {
          outcomes.computeIfAbsent("hang_up client_timeout", k -> new LongAdder()).increment();
        }
      }
    } catch (Exception e) {
      outcomes.computeIfAbsent("client_error " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
    }
  }

  /** A streamed completion read to its end, or abandoned after the first event. */
  private void stream(long n, boolean abandon) throws Exception {
    HttpResponse<InputStream> r = http.send(post(String.format(STREAM, n), Duration.ofSeconds(30)),
        HttpResponse.BodyHandlers.ofInputStream());
    String kind = abandon ? "stream_abandoned" : "stream";
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        count(kind, r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        return;
      }
      if (abandon) {
        byte[] buf = new byte[256];
        in.read(buf); // the first event; closing the stream now hangs up on the gateway
        count(kind, 200, "");
        return;
      }
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      count(kind, body.contains("[DONE]") ? 200 : 299, body); // 299: a stream that ended with an error event
    }
  }

  private HttpRequest post(String body, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions")).timeout(timeout)
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]*)\"");

  private void count(String kind, int status, String body) {
    String label = kind + " " + status;
    if (status >= 400) {
      Matcher m = ERROR_CODE.matcher(body);
      label += m.find() ? " " + m.group(1) : "";
      Matcher msg = MESSAGE.matcher(body);
      if (msg.find()) {
        examples.putIfAbsent(label, msg.group(1));
      }
    }
    outcomes.computeIfAbsent(label, k -> new LongAdder()).increment();
  }

  private String report(int seconds, int clients, List<long[]> samples, long served, long attempts, long rows) {
    StringBuilder json = new StringBuilder("{\"seconds\":" + seconds + ",\"clients\":" + clients
        + ",\"requests\":" + sent.get() + ",\"outcomes\":{");
    String sep = "";
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(outcomes).entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue().sum());
      sep = ",";
    }
    long sluice5xx = outcomes.entrySet().stream().filter(e -> e.getKey().matches("\\S+ 5\\d\\d.*"))
        .mapToLong(e -> e.getValue().sum()).sum();
    json.append("},\"error_examples\":{");
    sep = "";
    for (Map.Entry<String, String> e : new TreeMap<>(examples).entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
      sep = ",";
    }
    json.append("},\"gateway_5xx\":").append(sluice5xx);
    json.append(",\"upstream_requests_served\":").append(served).append(",\"attempts_in_metrics\":").append(attempts).append(",\"ledger_rows\":").append(rows);
    json.append(",\"samples\":[");
    sep = "";
    for (long[] s : samples) {
      json.append(sep).append("{\"t\":").append(s[0]).append(",\"heap_after_gc_kb\":").append(s[1])
          .append(",\"rss_kb\":").append(s[2]).append(",\"fds\":").append(s[3]).append('}');
      sep = ",";
    }
    return json.append("]}").toString();
  }

  /** Forces a full GC in the gateway, then reads its used heap (survivors + eden + old) from jstat. */
  private static long heapAfterGcKb(long pid) throws Exception {
    run("jcmd", Long.toString(pid), "GC.run");
    List<String> lines = run("jstat", "-gc", Long.toString(pid));
    String[] names = lines.get(0).trim().split("\\s+");
    String[] values = lines.get(1).trim().split("\\s+");
    double used = 0;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU") || names[i].equals("OU")) {
        used += Double.parseDouble(values[i]);
      }
    }
    return Math.round(used);
  }

  private static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  private static long fds(long pid) throws Exception {
    try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return list.count();
    }
  }

  private static long mockServed(HttpClient http, String mockUrl) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(mockUrl + "/mock/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return Long.parseLong(body.replaceAll("\\D", ""));
  }

  /** The gateway's own count of upstream attempts ({@code sluice_attempts_total}, summed over its series). */
  private static long attemptsCounted(HttpClient http, String url) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("sluice_attempts_total{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(sum);
  }

  private static long ledgerRows(String db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM ledger")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.isBlank()).toList();
    p.waitFor();
    return lines;
  }
}
