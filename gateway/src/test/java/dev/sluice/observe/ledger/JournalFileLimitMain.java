package dev.sluice.observe.ledger;

import dev.sluice.store.BatchRow;
import dev.sluice.store.LedgerRow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link JournalTornWriteTest} in a JVM of its own under a file-size limit ({@code ulimit -f}):
 * appends batches of rows to a journal until one fails, then tries once more, and prints how many rows
 * the journal took ({@code appended=N}) and how many appends failed ({@code failed=N}).
 */
public final class JournalFileLimitMain {
  private JournalFileLimitMain() {}

  public static void main(String[] args) throws IOException {
    Journal journal = new Journal(Path.of(args[0]));
    int appended = 0;
    int failed = 0;
    for (int batch = 0; failed < 2 && batch < 1_000; batch++) {
      List<BatchRow> rows = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        rows.add(LedgerRow.builder("req-" + batch + "-" + i, 1, Instant.parse("2026-03-01T10:00:00Z"))
            .key("alice", "key_1", "red").target("smart", "openai", "gpt-4o").tokens(100, 10, 0, 0, 0)
            .cost(1000, true, false).latency(200, null).build());
      }
      try {
        journal.append(rows);
        appended += rows.size();
      } catch (IOException e) {
        failed++;
        System.out.println("failure=" + e.getMessage());
      }
    }
    journal.close();
    System.out.println("appended=" + appended);
    System.out.println("failed=" + failed);
  }
}
