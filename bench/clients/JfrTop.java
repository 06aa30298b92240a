import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the gateway: where CPU samples land (top frame; the nearest Sluice
 * frame, which is the Sluice code responsible for the time including the libraries it calls; Sluice
 * methods inclusive), CPU by library, allocation by class and by Sluice frame, and GC.
 *
 * <p>Usage: {@code java JfrTop.java recording.jfr LABEL [UNITS UNIT_NAME]} → text on stdout; with UNITS
 * (e.g. the number of requests served during the recording) allocation is also given per unit.
 */
public final class JfrTop {
  private static final int TOP = 25;

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String label = args.length > 1 ? args[1] : file.getFileName().toString();
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> nearestSluice = new HashMap<>();
    Map<String, Long> inclusiveSluice = new HashMap<>();
    Map<String, Long> byLibrary = new HashMap<>();
    Map<String, Long> byThread = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> allocBySluice = new HashMap<>();
    Set<Long> sampledThreads = new HashSet<>();
    Map<String, Long> allocFirst = new HashMap<>();
    Map<String, Long> allocLast = new HashMap<>();
    long samples = 0;
    long nativeSamples = 0;
    Map<String, Long> nativeTop = new HashMap<>();
    long allocTotal = 0;
    long gcCount = 0;
    double gcPauseMs = 0;
    double gcMaxPauseMs = 0;
    long heapUsedMax = 0;
    double seconds = 0;
    java.time.Instant first = null;
    java.time.Instant last = null;

    try (RecordingFile rf = new RecordingFile(file)) {
      while (rf.hasMoreEvents()) {
        RecordedEvent e = rf.readEvent();
        String type = e.getEventType().getName();
        if (first == null || e.getStartTime().isBefore(first)) {
          first = e.getStartTime();
        }
        if (last == null || e.getEndTime().isAfter(last)) {
          last = e.getEndTime();
        }
        switch (type) {
          case "jdk.ExecutionSample" -> {
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
              continue;
            }
            samples++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            byThread.merge(threadGroup(thread), 1L, Long::sum);
            List<RecordedFrame> frames = st.getFrames();
            String top = name(frames.get(0));
            self.merge(top, 1L, Long::sum);
            byLibrary.merge(library(frames.get(0)), 1L, Long::sum);
            String nearest = null;
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
              if (!f.isJavaFrame()) {
                continue;
              }
              String n = name(f);
              if (n.startsWith("dev.sluice.")) {
                if (nearest == null) {
                  nearest = n;
                }
                if (seen.add(n)) {
                  inclusiveSluice.merge(n, 1L, Long::sum);
                }
              }
            }
            nearestSluice.merge(nearest == null ? "(no Sluice frame: event loop / Netty / JVM)" : nearest, 1L, Long::sum);
          }
          case "jdk.ObjectAllocationSample" -> {
            // A thread's first sample weighs everything it allocated before (even before the
            // recording started): skip it, count from there.
            long tid = e.getThread("eventThread") == null ? -1 : e.getThread("eventThread").getJavaThreadId();
            if (sampledThreads.add(tid)) {
              continue;
            }
            long w = e.getLong("weight");
            allocTotal += w;
            String cls = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
            allocByClass.merge(cls, w, Long::sum);
            String nearest = "(no Sluice frame)";
            RecordedStackTrace st = e.getStackTrace();
            if (st != null) {
              for (RecordedFrame f : st.getFrames()) {
                if (f.isJavaFrame() && name(f).startsWith("dev.sluice.")) {
                  nearest = name(f);
                  break;
                }
              }
            }
            allocBySluice.merge(nearest, w, Long::sum);
          }
          case "jdk.NativeMethodSample" -> {
            RecordedStackTrace st = e.getStackTrace();
            if (st != null && !st.getFrames().isEmpty()) {
              nativeSamples++;
              nativeTop.merge(name(st.getFrames().get(0)), 1L, Long::sum);
            }
          }
          case "jdk.GarbageCollection" -> {
            gcCount++;
            double ms = e.getDuration("sumOfPauses").toNanos() / 1e6;
            gcPauseMs += ms;
            gcMaxPauseMs = Math.max(gcMaxPauseMs, ms);
          }
          case "jdk.GCHeapSummary" -> heapUsedMax = Math.max(heapUsedMax, e.getLong("heapUsed"));
          case "jdk.ThreadAllocationStatistics" -> {
            // Cumulative per thread: the exact allocation over the recording is last - first.
            String t = e.getThread("thread") == null ? "?" : e.getThread("thread").getJavaName();
            long a = e.getLong("allocated");
            allocFirst.merge(t, a, Math::min);
            allocLast.merge(t, a, Math::max);
          }
          default -> { }
        }
      }
    }
    if (first != null) {
      seconds = java.time.Duration.between(first, last).toMillis() / 1000.0;
    }
    System.out.printf(Locale.ROOT, "JFR profile of Sluice under the %s load (%s, %.0f s recorded)%n", label,
        file.getFileName(), seconds);
    System.out.printf(Locale.ROOT, "execution samples: %d; GC: %d collections, %.1f ms paused in total, max pause %.1f ms,"
        + " max heap used %.0f MB; allocation sampled: %.0f MB (%.0f MB/s)%n%n", samples, gcCount, gcPauseMs,
        gcMaxPauseMs, heapUsedMax / 1048576.0, allocTotal / 1048576.0, seconds > 0 ? allocTotal / 1048576.0 / seconds : 0);
    long exact = 0;
    for (var t : allocLast.entrySet()) {
      exact += t.getValue() - allocFirst.get(t.getKey());
    }
    long units = args.length > 2 ? Long.parseLong(args[2]) : 0;
    System.out.printf(Locale.ROOT, "exact allocation over the recording (jdk.ThreadAllocationStatistics): %.0f MB%s%n%n",
        exact / 1048576.0, units > 0 ? String.format(Locale.ROOT, " = %.1f kB per %s (%d)", exact / 1024.0 / units,
            args.length > 3 ? args[3] : "unit", units) : "");
    print("CPU samples by thread", byThread, samples);
    print("CPU samples by library of the top frame", byLibrary, samples);
    print("Top frames (self time)", self, samples);
    print("Threads sampled while in native code (jdk.NativeMethodSample: I/O, epoll; not CPU-bound Java)", nativeTop,
        nativeSamples);
    print("Nearest Sluice frame (the Sluice method responsible, including what it calls)", nearestSluice, samples);
    print("Sluice methods, inclusive (on the stack)", inclusiveSluice, samples);
    printBytes("Allocation by class (sampled bytes)", allocByClass, allocTotal);
    printBytes("Allocation by nearest Sluice frame (sampled bytes)", allocBySluice, allocTotal);
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    if (m == null) {
      return "?";
    }
    return m.getType().getName() + "." + m.getName();
  }

  private static String library(RecordedFrame f) {
    String n = name(f);
    String[][] groups = {
        {"dev.sluice.", "sluice"}, {"io.netty.", "netty"}, {"io.vertx.", "vert.x"},
        {"com.fasterxml.jackson.", "jackson"}, {"io.micrometer.", "micrometer"}, {"io.prometheus.", "prometheus"},
        {"org.HdrHistogram.", "hdrhistogram"}, {"ch.qos.logback.", "logback"}, {"org.slf4j.", "slf4j"},
        {"sun.nio.", "jdk nio"}, {"java.util.concurrent.", "java.util.concurrent"}, {"java.", "jdk (java.*)"},
        {"jdk.", "jdk (jdk.*)"}, {"sun.", "jdk (sun.*)"}};
    for (String[] g : groups) {
      if (n.startsWith(g[0])) {
        return g[1];
      }
    }
    return f.isJavaFrame() ? "other java" : "native";
  }

  private static String threadGroup(String t) {
    return t.replaceAll("-\\d+$", "-N").replaceAll("\\d+", "N");
  }

  private static void print(String title, Map<String, Long> counts, long total) {
    System.out.println(title + ":");
    List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
    list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (int i = 0; i < Math.min(TOP, list.size()); i++) {
      System.out.printf(Locale.ROOT, "  %5.1f%%  %6d  %s%n", 100.0 * list.get(i).getValue() / Math.max(1, total),
          list.get(i).getValue(), list.get(i).getKey());
    }
    System.out.println();
  }

  private static void printBytes(String title, Map<String, Long> bytes, long total) {
    System.out.println(title + ":");
    List<Map.Entry<String, Long>> list = new ArrayList<>(bytes.entrySet());
    list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (int i = 0; i < Math.min(TOP, list.size()); i++) {
      System.out.printf(Locale.ROOT, "  %5.1f%%  %8.1f MB  %s%n", 100.0 * list.get(i).getValue() / Math.max(1, total),
          list.get(i).getValue() / 1048576.0, list.get(i).getKey());
    }
    System.out.println();
  }
}
