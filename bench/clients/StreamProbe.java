import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Streaming probe: sends {@code count} streamed chat requests one after another (concurrency 1)
 * over one keep-alive HTTP/1.1 connection and timestamps every SSE event as its bytes come off the
 * socket. Prints one JSON line: time to first event (TTFT), the gaps between consecutive events and
 * how many events arrived glued to the previous one (same socket read, under 1 ms apart — what a
 * relay that batches would produce).
 *
 * <p>Usage: {@code java StreamProbe.java URL MODEL COUNT 'h1: v1|h2: v2'}. A raw socket keeps the
 * client's own cost tiny and identical for every arm. Talks only to the URL given; stops by itself
 * (each read times out after 30 s).
 */
public final class StreamProbe {

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String model = args[1];
    int count = Integer.parseInt(args[2]);
    String headers = args.length > 3 ? args[3] : "";
    // include_usage for every arm: Sluice always asks the provider for the final usage chunk (it bills
    // from it), so the upstream sends one more event to every arm alike.
    String body = "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Tell me a short story.\"}]}";
    StringBuilder req = new StringBuilder()
        .append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
        .append("Content-Type: application/json\r\nAccept: text/event-stream\r\n")
        .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
    for (String h : headers.split("\\|")) {
      if (!h.isBlank()) {
        req.append(h.trim()).append("\r\n");
      }
    }
    req.append("\r\n").append(body);
    byte[] request = req.toString().getBytes(StandardCharsets.UTF_8);

    List<Double> ttftMs = new ArrayList<>();
    List<Double> firstContentMs = new ArrayList<>();
    List<Double> gapsMs = new ArrayList<>();
    List<Double> totalMs = new ArrayList<>();
    long events = 0;
    long glued = 0;
    int failures = 0;
    Socket socket = null;
    for (int i = 0; i < count; i++) {
      try {
        if (socket == null || socket.isClosed()) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(30_000);
          socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
        }
        Result r = oneStream(socket, request);
        if (!r.ok) {
          failures++;
          socket.close();
          continue;
        }
        ttftMs.add(r.times[0]);
        firstContentMs.add(r.firstContent);
        totalMs.add(r.total);
        events += r.times.length;
        for (int k = 1; k < r.times.length; k++) {
          double gap = r.times[k] - r.times[k - 1];
          gapsMs.add(gap);
          if (gap < 1.0) {
            glued++;
          }
        }
        if (r.close) {
          socket.close();
        }
      } catch (IOException e) {
        failures++;
        if (socket != null) {
          socket.close();
        }
      }
    }
    if (socket != null) {
      socket.close();
    }
    double[] ttft = sorted(ttftMs);
    double[] gaps = sorted(gapsMs);
    System.out.printf(Locale.ROOT,
        "{\"streams\":%d,\"failures\":%d,\"events\":%d,\"ttft_p50_ms\":%.3f,\"ttft_mean_ms\":%.3f,\"ttft_min_ms\":%.3f,"
            + "\"ttft_max_ms\":%.3f,\"first_content_p50_ms\":%.3f,\"total_p50_ms\":%.1f,\"gap_mean_ms\":%.3f,"
            + "\"gap_p50_ms\":%.3f,\"gap_p99_ms\":%.3f,\"gap_max_ms\":%.3f,\"glued_events\":%d,\"glued_share\":%.4f}%n",
        ttftMs.size(), failures, events, pct(ttft, 50), mean(ttft), pct(ttft, 0), pct(ttft, 100),
        pct(sorted(firstContentMs), 50), pct(sorted(totalMs), 50), mean(gaps), pct(gaps, 50), pct(gaps, 99),
        pct(gaps, 100), glued, gaps.length == 0 ? 0 : glued / (double) gaps.length);
  }

  private record Result(boolean ok, boolean close, double[] times, double firstContent, double total) {}

  /** One request/response on the connection; event times are ms since the request was written. */
  private static Result oneStream(Socket socket, byte[] request) throws IOException {
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    long start = System.nanoTime();
    out.write(request);
    out.flush();
    byte[] buf = new byte[65536];
    Head head = Head.read(in, buf);
    if (head == null) {
      return new Result(false, true, new double[0], 0, 0);
    }
    double restTime = (System.nanoTime() - start) / 1e6;
    boolean ok = head.headers().startsWith("http/1.1 200");
    boolean close = head.headers().contains("connection: close");
    Body bodyState = head.body();
    List<Double> times = new ArrayList<>();
    double firstContent = -1;
    StringBuilder sse = new StringBuilder();
    boolean done = false;
    byte[] data = head.rest();
    double now = restTime;
    while (true) {
      String text = bodyState.feed(data);
      sse.append(text);
      int sep;
      while ((sep = sse.indexOf("\n\n")) >= 0) {
        String event = sse.substring(0, sep);
        sse.delete(0, sep + 2);
        if (event.isBlank()) {
          continue;
        }
        times.add(now);
        if (firstContent < 0 && event.contains("\"content\":\"") && !event.contains("\"content\":\"\"")) {
          firstContent = now;
        }
        if (event.contains("[DONE]")) {
          done = true;
        }
      }
      if (bodyState.finished()) {
        break;
      }
      int n = in.read(buf);
      if (n < 0) {
        close = true;
        break;
      }
      now = (System.nanoTime() - start) / 1e6;
      data = Arrays.copyOf(buf, n);
    }
    double total = (System.nanoTime() - start) / 1e6;
    double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(ok && done && t.length > 0, close || !bodyState.finished(), t, firstContent, total);
  }

  /**
   * An HTTP/1.1 answer's head read off the socket: its header lines (lower-cased) and the body bytes
   * that came in the same reads. Also used by {@code GapProbe}. Null from {@link #read} when the
   * connection closed first.
   */
  record Head(String headers, byte[] rest) {
    static Head read(InputStream in, byte[] buf) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          return null;
        }
        head.write(buf, 0, n);
        byte[] h = head.toByteArray();
        int end = indexOf(h, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end >= 0) {
          return new Head(new String(h, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT),
              Arrays.copyOfRange(h, end + 4, h.length));
        }
      }
    }

    /** The body's de-chunker, from the head's Transfer-Encoding and Content-Length. */
    Body body() {
      long contentLength = -1;
      for (String line : headers.split("\r\n")) {
        if (line.startsWith("content-length:")) {
          contentLength = Long.parseLong(line.substring(15).trim());
        }
      }
      return new Body(headers.contains("transfer-encoding: chunked"), contentLength);
    }
  }

  /** De-chunks an HTTP/1.1 body incrementally. */
  static final class Body {
    private final boolean chunked;
    private long remaining; // bytes left in the current chunk (chunked) or the body (content-length)
    private final StringBuilder line = new StringBuilder();
    private boolean finished;
    private int state; // 0 size line, 1 data, 2 CRLF after data, 3 trailer

    Body(boolean chunked, long contentLength) {
      this.chunked = chunked;
      this.remaining = chunked ? 0 : contentLength;
    }

    boolean finished() {
      return finished;
    }

    String feed(byte[] b) {
      if (!chunked) {
        remaining -= b.length;
        if (remaining <= 0) {
          finished = true;
        }
        return new String(b, StandardCharsets.UTF_8);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int i = 0;
      while (i < b.length && !finished) {
        switch (state) {
          case 0, 2, 3 -> {
            char c = (char) b[i++];
            if (c == '\n') {
              String l = line.toString().trim();
              line.setLength(0);
              if (state == 0) {
                int semi = l.indexOf(';');
                remaining = Long.parseLong(semi >= 0 ? l.substring(0, semi) : l, 16);
                state = remaining == 0 ? 3 : 1;
              } else if (state == 2) {
                state = 0;
              } else if (l.isEmpty()) {
                finished = true;
              }
            } else if (c != '\r') {
              line.append(c);
            }
          }
          default -> {
            int n = (int) Math.min(remaining, b.length - i);
            out.write(b, i, n);
            i += n;
            remaining -= n;
            if (remaining == 0) {
              state = 2;
            }
          }
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static int indexOf(byte[] h, byte[] needle, int from) {
    outer:
    for (int i = from; i <= h.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (h[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static double[] sorted(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  private static double pct(double[] s, double p) {
    if (s.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))];
  }

  private static double mean(double[] s) {
    return s.length == 0 ? 0 : Arrays.stream(s).average().orElse(0);
  }
}
