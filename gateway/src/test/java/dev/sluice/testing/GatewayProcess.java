package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One gateway replica as its own JVM: {@code java -cp <this JVM's class path> dev.sluice.cli.Main
 * serve -c <config> --port <port>}, run in its own working directory (with a PostgreSQL store the
 * ledger's spill journal is {@code sluice-journal} there), its output appended to a log file per
 * incarnation. {@link #start} may be called again after {@link #kill} or {@link #stop}: same port,
 * same directory, so a restarted replica replays the journal its predecessor left. Not thread-safe:
 * one test thread drives it.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path config;
  private final Path workDir;
  private final Path logDir;
  private final int port;
  private volatile Process process;
  private volatile int incarnation;

  /**
   * @param name the replica's name in log file names and messages
   * @param config the YAML config it serves
   * @param workDir its working directory (created if missing): where its journal lives
   * @param logDir where {@code <name>-<incarnation>.log} files go (created if missing)
   */
  public GatewayProcess(String name, Path config, Path workDir, Path logDir) {
    this.name = name;
    this.config = config;
    this.workDir = workDir;
    this.logDir = logDir;
    this.port = freePort();
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** 1 for the first process, 2 after one restart, ... */
  public int incarnation() {
    return incarnation;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Launches the JVM; returns at once (see {@link #awaitReady}). */
  public void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    Files.createDirectories(workDir);
    Files.createDirectories(logDir);
    incarnation++;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Small heaps and the serial collector: three of these share a busy 2-core machine with the test.
    process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "dev.sluice.cli.Main", "serve",
        "-c", config.toString(), "--port", Integer.toString(port)))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
        .start();
  }

  /** Waits until {@code /health/ready} answers 200; fails (naming the log) if the process exits first. */
  public void awaitReady(Duration within) {
    Await.until(name + " ready on port " + port + " (log: " + log() + ")", () -> {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; log:\n"
            + tail(40));
      }
      try {
        return PROBE.send(HttpRequest.newBuilder(URI.create(url("/health/ready"))).timeout(Duration.ofSeconds(2))
            .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException e) {
        return false; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }, within);
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. Returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL for 30 s");
    }
  }

  /** SIGTERM: the gateway drains (shutdown_grace) and flushes its ledger; returns its exit code. */
  public int stop(Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + within + " of SIGTERM; log:\n" + tail(40));
    }
    return process.exitValue();
  }

  /** The current incarnation's log file. */
  public Path log() {
    return logDir.resolve(name + "-" + incarnation + ".log");
  }

  /** The last {@code lines} lines of every incarnation's log, for a failure message. */
  public String tail(int lines) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= incarnation; i++) {
      Path file = logDir.resolve(name + "-" + i + ".log");
      try {
        List<String> all = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        out.append("----- ").append(file).append(" (last ").append(Math.min(lines, all.size())).append(" of ")
            .append(all.size()).append(" lines)\n");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
      } catch (IOException | UncheckedIOException e) {
        out.append("----- ").append(file).append(": unreadable: ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  /** Kills the process if it still runs (for {@code @AfterAll}, whatever happened before). */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
