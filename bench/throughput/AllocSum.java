import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Bytes allocated over a JFR recording, from jdk.ThreadAllocationStatistics (cumulative per thread:
 * last - first), in total and on the event loops. Usage: AllocSum file.jfr -> "total eventloops".
 */
public final class AllocSum {
  public static void main(String[] args) throws Exception {
    Map<String, long[]> byThread = new HashMap<>();
    try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
      while (f.hasMoreEvents()) {
        RecordedEvent e = f.readEvent();
        if (!e.getEventType().getName().equals("jdk.ThreadAllocationStatistics") || e.getThread("thread") == null) {
          continue;
        }
        long a = e.getLong("allocated");
        long[] mm = byThread.computeIfAbsent(e.getThread("thread").getJavaName() + "#" + e.getThread("thread").getJavaThreadId(),
            k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        mm[0] = Math.min(mm[0], a);
        mm[1] = Math.max(mm[1], a);
      }
    }
    long total = 0;
    long loops = 0;
    for (var en : byThread.entrySet()) {
      long d = en.getValue()[1] - en.getValue()[0];
      total += d;
      if (en.getKey().startsWith("vert.x-eventloop")) {
        loops += d;
      }
    }
    System.out.println(total + " " + loops);
  }
}
