import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Spaced-request probe: sends {@code count} non-streamed chat requests one at a time over one
 * keep-alive HTTP/1.1 connection, waiting {@code gapMs} after each answer before the next request,
 * and times each request from its first byte written to its last byte read. Prints one JSON line.
 *
 * <p>Why: wrk at c=1 sends the next request the moment an answer arrives, so every request finds the
 * gateway's code and data in the CPU caches its predecessor just used. A gateway in front of
 * sporadic traffic (a request every few milliseconds or seconds) runs cold each time; on this 2-core
 * shared machine that multiplies every step's time (bench/results/latency-critical-path.md). This
 * measures that case for every arm alike.
 *
 * <p>Usage: {@code java -cp CLASSES GapProbe URL MODEL COUNT GAP_MS 'h1: v1|h2: v2'}, compiled with
 * {@code StreamProbe.java}, whose HTTP/1.1 reader it uses. A raw socket keeps the
 * client's own cost small and identical for every arm. Talks only to the URL given; stops by itself
 * (each read times out after 30 s).
 */
public final class GapProbe {

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String model = args[1];
    int count = Integer.parseInt(args[2]);
    long gapMs = Long.parseLong(args[3]);
    String headers = args.length > 4 ? args[4] : "";
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful"
        + " assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}],\"max_tokens\":64}";
    StringBuilder head = new StringBuilder("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
        .append("Content-Type: application/json\r\nContent-Length: ")
        .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
    for (String h : headers.split("\\|")) {
      if (!h.isBlank()) {
        head.append(h.trim()).append("\r\n");
      }
    }
    byte[] request = (head.append("\r\n").append(body)).toString().getBytes(StandardCharsets.UTF_8);
    long[] nanos = new long[count];
    int failures = 0;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[64 * 1024];
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        out.write(request);
        out.flush();
        boolean ok = readAnswer(in, buf);
        nanos[i] = System.nanoTime() - start;
        if (!ok) {
          failures++;
        }
        if (gapMs > 0) {
          Thread.sleep(gapMs);
        }
      }
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.println(String.format(Locale.ROOT,
        "{\"requests\":%d,\"gap_ms\":%d,\"failures\":%d,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f}",
        count, gapMs, failures, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted[count - 1] / 1e3));
  }

  private static double at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e3;
  }

  /** Reads one whole answer off the connection (StreamProbe's reader); true when it was a 200. */
  private static boolean readAnswer(InputStream in, byte[] buf) throws IOException {
    StreamProbe.Head head = StreamProbe.Head.read(in, buf);
    if (head == null) {
      throw new EOFException("the connection closed before an answer");
    }
    StreamProbe.Body body = head.body();
    body.feed(head.rest());
    while (!body.finished()) {
      int n = in.read(buf);
      if (n < 0) {
        throw new EOFException("the connection closed mid-answer");
      }
      body.feed(Arrays.copyOf(buf, n));
    }
    return head.headers().startsWith("http/1.1 200");
  }
}
