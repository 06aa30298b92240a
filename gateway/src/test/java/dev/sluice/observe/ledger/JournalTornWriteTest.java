package dev.sluice.observe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.BatchRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal write that the file system cuts short (a disk filling up mid-write) leaves no part of a
 * row behind: replay finds whole rows only, and the row appended after it is not glued to a torn one.
 */
class JournalTornWriteTest {
  /** The file-size limit, in {@code ulimit -f}'s 1 KiB blocks. */
  private static final int LIMIT_KIB = 8;

  @TempDir
  Path dir;

  @Test
  void aWriteCutShortIsCutBackOffTheFileSoReplayFindsOnlyWholeRows() throws Exception {
    Path journalDir = dir.resolve("journal");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Under RLIMIT_FSIZE a write that crosses the limit writes what fits and returns; the next one fails
    // with EFBIG (the JVM ignores SIGXFSZ): the same short write a filling disk gives, with a real file.
    Process child = new ProcessBuilder("bash", "-c",
        "ulimit -f " + LIMIT_KIB + " && exec \"$0\" -XX:-UsePerfData -cp \"$1\" " + JournalFileLimitMain.class.getName()
            + " \"$2\"",
        java, System.getProperty("java.class.path"), journalDir.toString()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(number(out, "failed")).as(out).isEqualTo(2);
    long appended = number(out, "appended");
    assertThat(appended).as(out).isPositive();

    Path active = journalDir.resolve(Journal.ACTIVE);
    byte[] bytes = Files.readAllBytes(active);
    assertThat(bytes.length).isLessThan(LIMIT_KIB * 1024);
    assertThat(bytes[bytes.length - 1]).as("the file ends with a whole line").isEqualTo((byte) '\n');
    try (Journal.SegmentReader reader = new Journal.SegmentReader(active)) {
      List<BatchRow> rows = reader.next(10_000);
      assertThat(rows).hasSize((int) appended);
      assertThat(reader.unreadable()).as("no torn line").isZero();
    }
  }

  private static long number(String out, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "=(\\d+)$").matcher(out);
    assertThat(m.find()).as(name + " in: " + out).isTrue();
    return Long.parseLong(m.group(1));
  }
}
