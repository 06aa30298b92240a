package dev.sluice.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The per-input time limit of the fuzz tests ({@code @FuzzTest}), in regression and in fuzzing mode.
 *
 * <p>An input is a few kilobytes that the code under test handles in microseconds; one whose thread
 * has computed for {@link #LIMIT} is a hang (an endless loop, a number with a billion digits),
 * however busy the machine. CPU time, not wall time: on a loaded machine the first input of a JVM
 * waits long for class loading and Jazzer's instrumentation without being stuck. A thread blocked
 * without computing is caught after {@link #BLOCKED_LIMIT}. JUnit's {@code @Timeout} cannot serve:
 * around a fuzz test it bounds the whole fuzzing run, not one input. So a daemon watchdog looks at
 * the input in progress; past a limit it saves the input to {@code target/fuzz-hangs/<sha1>}, prints
 * the stuck thread's stack and halts the JVM: the surefire fork dies and the build fails instead of
 * hanging. Not reentrant; one input at a time.
 */
public final class FuzzInputTimeout {
  /** CPU time of the input's thread. */
  public static final Duration LIMIT = Duration.ofSeconds(30);
  /** Wall time, for a thread that waits instead of computing. */
  public static final Duration BLOCKED_LIMIT = Duration.ofMinutes(10);
  private static final long POLL_MILLIS = 250;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private record Running(String target, byte[] input, Thread thread, long startNanos, long startCpuNanos) {}

  private static volatile Running running;
  private static Thread watchdog;

  private FuzzInputTimeout() {}

  /** Runs {@code work} on this thread, on {@code input} (kept for the report), under the limit. */
  public static void run(String target, byte[] input, Runnable work) {
    startWatchdog();
    running = new Running(target, input, Thread.currentThread(), System.nanoTime(),
        THREADS.getCurrentThreadCpuTime());
    try {
      work.run();
    } finally {
      running = null;
    }
  }

  private static synchronized void startWatchdog() {
    if (watchdog != null) {
      return;
    }
    watchdog = new Thread(FuzzInputTimeout::watch, "fuzz-input-timeout");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void watch() {
    while (true) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      Running r = running;
      if (r == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(r.thread().getId()) - r.startCpuNanos();
      long wall = System.nanoTime() - r.startNanos();
      if (r == running && (cpu > LIMIT.toNanos() || wall > BLOCKED_LIMIT.toNanos())) {
        hang(r, cpu, wall);
      }
    }
  }

  private static void hang(Running r, long cpuNanos, long wallNanos) {
    StringWriter report = new StringWriter();
    PrintWriter out = new PrintWriter(report);
    out.println("FUZZ HANG: " + r.target() + " has run one input for " + wallNanos / 1_000_000 + " ms ("
        + cpuNanos / 1_000_000 + " ms of CPU; the limits: " + LIMIT.toSeconds() + " s of CPU, "
        + BLOCKED_LIMIT.toMinutes() + " min in all)");
    Path dir = Path.of("target", "fuzz-hangs");
    Path file = dir.resolve(sha1(r.input()));
    out.println("the input is saved in " + file.toAbsolutePath() + " (the report next to it)");
    out.println("stack of the stuck thread:");
    for (StackTraceElement frame : r.thread().getStackTrace()) {
      out.println("\tat " + frame);
    }
    out.flush();
    try {
      Files.createDirectories(dir);
      Files.write(file, r.input());
      Files.writeString(dir.resolve(file.getFileName() + ".txt"), report.toString());
    } catch (IOException e) {
      report.append("the input could not be saved: ").append(String.valueOf(e)).append('\n');
    }
    // Straight to the process's stderr: what goes through System.err is relayed by surefire and
    // would be lost with the halt.
    try {
      FileOutputStream err = new FileOutputStream(FileDescriptor.err);
      err.write(report.toString().getBytes(StandardCharsets.UTF_8));
      err.flush();
    } catch (IOException ignored) {
      // the saved report remains
    }
    Runtime.getRuntime().halt(3);
  }

  private static String sha1(byte[] input) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
