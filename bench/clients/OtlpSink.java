import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OTLP/HTTP receiver that accepts every export (200, empty body) and discards it: the
 * sluice-traced arm's exporter target, so tracing costs what it costs Sluice and nothing waits on a
 * collector. Prints the requests and bytes received on exit (to stderr).
 *
 * <p>Usage: {@code java -cp classes OtlpSink PORT}.
 */
public final class OtlpSink {
  public static void main(String[] args) throws Exception {
    AtomicLong requests = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
    sink.setExecutor(Executors.newFixedThreadPool(2));
    sink.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        bytes.addAndGet(in.readAllBytes().length);
      }
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.err.printf("otlp sink: %d exports, %d bytes%n", requests.get(), bytes.get())));
    sink.start();
  }
}
