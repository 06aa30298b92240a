package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.sluice.testing.RawHttpClient;
import dev.sluice.testing.TestGateway;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once a stream is committed, the gateway keeps no copy of its prompt: not the raw body, not the
 * parsed text, not the same-format relay's bytes. A stream can run for minutes, and with real
 * prompts (tens of kB) two copies per open stream were most of its memory.
 *
 * <p>Checked where it cannot be argued with: a live-object heap dump of this JVM, taken while four
 * streams (OpenAI front re-encoded, OpenAI front relayed byte for byte, Anthropic front, and one
 * whose answer the response cache will keep) are past their first token and held open by the
 * provider, must not contain any of their prompts. The
 * prompts are made from seeds and made again only after the dump, so the test itself holds none of
 * them then; a fourth text that the test does hold is the control that the search finds what is
 * there.
 */
class StreamPromptReleaseEndToEndTest {
  private static final int PROMPT_CHARS = 64 * 1024;
  /** What is searched for: longer than any buffer a parser or socket reuses, so only a whole copy matches. */
  private static final int NEEDLE_FROM = 20_000;
  private static final int NEEDLE_CHARS = 16 * 1024;

  @TempDir
  Path dir;

  @Test
  void aCommittedStreamKeepsNoCopyOfItsPrompt() throws Exception {
    try (HeldStreams upstream = new HeldStreams(4);
        TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), "")
            .replace("max_body_bytes: 65536", "max_body_bytes: 1048576")
            .replace("keys:", "  - { name: cached, targets: [ { provider: up, model: upstream-model } ],"
                + " cache: { ttl: 1h } }\nkeys:"))) {
      List<RawHttpClient> clients = new ArrayList<>();
      try {
        clients.add(send(gw, "/v1/chat/completions", openAi(1, false)));  // decoded, encoded again
        clients.add(send(gw, "/v1/chat/completions", openAi(2, true)));   // the client's bytes relayed
        clients.add(send(gw, "/v1/messages", anthropic(3)));              // translated from Anthropic's format
        clients.add(send(gw, "/v1/chat/completions", openAi(4, false)   // an answer the response cache keeps
            .replace("\"model\":\"chat\"", "\"model\":\"cached\",\"temperature\":0")));
        for (RawHttpClient c : clients) {
          c.readUntil("first-token"); // committed: the first token is with the client
        }
        assertThat(upstream.bodyBytes()).hasSize(4).allSatisfy(n -> assertThat(n).isGreaterThan(PROMPT_CHARS));

        // The event loop lets go of a prompt just after writing its first token: a dump taken in that
        // instant can still see it, so one that does is taken again. A copy that stays fails.
        int[] copies = liveDumpCopies();
        for (int again = 0; again < 5 && java.util.Arrays.stream(copies, 1, 5).anyMatch(n -> n > 0); again++) {
          Thread.sleep(200);
          copies = liveDumpCopies();
        }
        assertThat(copies[0]).as("the control text the test holds").isEqualTo(1);
        for (int seed = 1; seed <= 4; seed++) {
          assertThat(copies[seed]).as("copies of prompt %d while its stream is open", seed).isZero();
        }

        upstream.release();
        for (RawHttpClient c : clients) {
          assertThat(c.readUntil("second-token")).contains("first-token");
        }
        assertThat(clients.get(0).readUntil("[DONE]")).contains("\"finish_reason\":\"stop\"");
        assertThat(clients.get(2).readUntil("message_stop")).contains("end_turn");
        assertThat(clients.get(3).readUntil("[DONE]")).contains("second-token");
      } finally {
        upstream.release();
        for (RawHttpClient c : clients) {
          c.close();
        }
      }
    }
  }

  /**
   * Dumps the live objects of this JVM and counts the copies in it of each prompt (index = seed) and,
   * at index 0, of a control text held across the dump (seed 5), which must be found exactly once.
   */
  private int[] liveDumpCopies() throws IOException {
    byte[] control = prompt(5).getBytes(StandardCharsets.US_ASCII);
    Path dump = Files.createTempFile(dir, "live", ".hprof");
    Files.delete(dump); // the dump must make the file itself
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
    java.lang.ref.Reference.reachabilityFence(control);
    int[] copies = copiesIn(dump, 5, 1, 2, 3, 4);
    Files.delete(dump);
    return copies;
  }

  /** Sends the body and returns: nothing of the body stays reachable from the test. */
  private static RawHttpClient send(TestGateway gw, String path, String body) throws IOException {
    RawHttpClient c = new RawHttpClient(gw.gateway().port(), 0, 30_000);
    c.post(path, TestGateway.KEY, body);
    return c;
  }

  private static String openAi(int seed, boolean relayed) {
    // include_usage false: the gateway asks for usage anyway, so it re-encodes; true: it relays the bytes.
    return "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":" + relayed + "},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt(seed) + "\"}]}";
  }

  private static String anthropic(int seed) {
    return "{\"model\":\"chat\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt(seed) + "\"}]}";
  }

  /** A prompt no other test sends: seeded letters and spaces, nothing a JSON string escapes. */
  private static String prompt(int seed) {
    Random r = new Random(0x5eed_0000L + seed);
    char[] c = new char[PROMPT_CHARS];
    for (int i = 0; i < c.length; i++) {
      int k = r.nextInt(27);
      c[i] = k == 26 ? ' ' : (char) ('a' + k);
    }
    return new String(c);
  }

  /**
   * How many times each prompt's needle occurs in the dump, in the order of {@code seeds}: one read
   * of the file, a Knuth-Morris-Pratt matcher per needle.
   */
  private static int[] copiesIn(Path dump, int... seeds) throws IOException {
    byte[][] needles = new byte[seeds.length][];
    int[][] fails = new int[seeds.length][];
    for (int n = 0; n < seeds.length; n++) {
      byte[] needle = prompt(seeds[n]).substring(NEEDLE_FROM, NEEDLE_FROM + NEEDLE_CHARS)
          .getBytes(StandardCharsets.US_ASCII);
      int[] fail = new int[needle.length];
      for (int i = 1, k = 0; i < needle.length; i++) {
        while (k > 0 && needle[i] != needle[k]) {
          k = fail[k - 1];
        }
        if (needle[i] == needle[k]) {
          k++;
        }
        fail[i] = k;
      }
      needles[n] = needle;
      fails[n] = fail;
    }
    int[] found = new int[seeds.length];
    int[] matched = new int[seeds.length];
    try (InputStream in = Files.newInputStream(dump)) {
      byte[] buf = new byte[1 << 20];
      for (int read; (read = in.read(buf)) > 0; ) {
        for (int n = 0; n < seeds.length; n++) {
          byte[] needle = needles[n];
          int[] fail = fails[n];
          int k = matched[n];
          for (int i = 0; i < read; i++) {
            while (k > 0 && buf[i] != needle[k]) {
              k = fail[k - 1];
            }
            if (buf[i] == needle[k] && ++k == needle.length) {
              found[n]++;
              k = fail[k - 1];
            }
          }
          matched[n] = k;
        }
      }
    }
    return found;
  }

  /**
   * An OpenAI-format provider on a bare socket that reads each request to its end (keeping none of
   * it), answers with the first token of a stream, and holds the stream open until released.
   */
  private static final class HeldStreams implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Long> bodyBytes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    HeldStreams(int streams) throws IOException {
      acceptor = new Thread(() -> {
        for (int i = 0; i < streams; i++) {
          try {
            Socket s = server.accept();
            Thread t = new Thread(() -> serve(s), "held-stream-" + i);
            t.setDaemon(true);
            t.start();
          } catch (IOException closed) {
            return;
          }
        }
      }, "held-streams");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    List<Long> bodyBytes() {
      return List.copyOf(bodyBytes);
    }

    void release() {
      released.countDown();
    }

    private void serve(Socket s) {
      try (s) {
        s.setSoTimeout(30_000);
        InputStream in = new BufferedInputStream(s.getInputStream());
        bodyBytes.add(readRequest(in));
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
            + event("{\"role\":\"assistant\",\"content\":\"first-token \"}", null)).getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (!released.await(60, TimeUnit.SECONDS)) {
          return;
        }
        out.write((event("{\"content\":\"second-token\"}", null) + event("{}", "\"stop\"")
            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"upstream-model\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n"
            + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException | InterruptedException ignored) {
        // the test's own assertions say what went wrong
      }
    }

    private static String event(String delta, String finish) {
      return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"upstream-model\","
          + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    /** Reads a request's head and body (by Content-Length or chunked) into a small reused buffer. */
    private static long readRequest(InputStream in) throws IOException {
      long length = -1;
      boolean chunked = false;
      for (String line; !(line = readLine(in)).isEmpty(); ) {
        String l = line.toLowerCase(Locale.ROOT);
        if (l.startsWith("content-length:")) {
          length = Long.parseLong(l.substring(15).trim());
        } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
          chunked = true;
        }
      }
      if (!chunked) {
        return skip(in, length);
      }
      long total = 0;
      for (long size; (size = Long.parseLong(readLine(in).trim(), 16)) > 0; ) {
        total += skip(in, size);
        readLine(in);
      }
      readLine(in);
      return total;
    }

    private static long skip(InputStream in, long n) throws IOException {
      byte[] scratch = new byte[4096];
      long left = n;
      while (left > 0) {
        int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
        if (r < 0) {
          throw new IOException("request cut short");
        }
        left -= r;
      }
      return n;
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int b; (b = in.read()) != '\n'; ) {
        if (b < 0) {
          throw new IOException("request cut short");
        }
        if (b != '\r') {
          sb.append((char) b);
        }
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      released.countDown();
      server.close();
    }
  }
}
