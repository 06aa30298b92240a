package dev.sluice.observe.ledger;

import static dev.sluice.observe.ledger.SqliteLedgerGateway.CHAT;
import static dev.sluice.observe.ledger.SqliteLedgerGateway.count;
import static dev.sluice.testing.Await.until;
import static dev.sluice.testing.KeysApi.metric;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose ledger can write neither to its store (another process holds SQLite's write lock)
 * nor to its journal (its file is {@code /dev/full}: every write fails with ENOSPC, as on a full
 * disk): billed requests are refused with 503 {@code ledger_unavailable} instead of being answered
 * with their usage recorded nowhere, and are served again once the journal takes writes, or once the
 * store does. The rows of the requests answered before the refusal began are held in memory meanwhile
 * and reach the store in the end.
 */
class LedgerUnavailableEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path dir;

  @Test
  void billedRequestsAreRefusedWhileNothingCanRecordTheirUsageAndServedOnceTheJournalCan() throws Exception {
    Path db = dir.resolve("ledger.db");
    try (TestGateway gw = SqliteLedgerGateway.start(upstream, db);
        Connection other = SqliteLedgerGateway.holdWriteLock(db)) {
      LedgerWriter ledger = gw.gateway().ledger();
      Path active = fullJournalDisk();
      refusedWhileNeitherWrites(gw, ledger);

      Files.delete(active); // space freed: the next probe (every 5 s) finds the journal writable
      until("the journal takes writes again", () -> ledger.refusal() == null, Duration.ofSeconds(30));
      assertThat(metric(gw, "sluice_ledger_journal_up")).isEqualTo(1);
      assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).as("journaled: the store is still locked")
          .isEqualTo(200);

      other.rollback();
      until("the journal replayed into the store", () -> count(db, "SELECT count(*) FROM ledger") == 2,
          Duration.ofSeconds(60));
      assertThat(count(db, "SELECT count(*) FROM request_log")).as("both chats and the model list").isEqualTo(3);
      assertThat(ledger.dropped()).as("nothing lost").isZero();
    }
  }

  @Test
  void aStoreBackWhileTheJournalDiskStaysFullServesBilledRequestsAgainAndGetsTheHeldRows() throws Exception {
    Path db = dir.resolve("ledger.db");
    try (TestGateway gw = SqliteLedgerGateway.start(upstream, db)) {
      LedgerWriter ledger = gw.gateway().ledger();
      fullJournalDisk();
      try (Connection other = SqliteLedgerGateway.holdWriteLock(db)) {
        refusedWhileNeitherWrites(gw, ledger);
        other.rollback(); // the store is back; the journal's disk stays full
      }
      until("the store took the held rows", () -> ledger.refusal() == null, Duration.ofSeconds(30));
      assertThat(ledger.journalHealthy()).isFalse();
      assertThat(metric(gw, "sluice_ledger_held_rows")).isZero();
      assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).as("straight to the store").isEqualTo(200);
      until("both chats' rows are stored", () -> count(db, "SELECT count(*) FROM ledger") == 2, Duration.ofSeconds(30));
      assertThat(ledger.dropped()).as("nothing lost").isZero();
    }
  }

  /** Every write to the journal's active file fails from now on (ENOSPC); deleting the returned link frees it. */
  private Path fullJournalDisk() throws Exception {
    Path active = dir.resolve("ledger.db.journal").resolve(Journal.ACTIVE);
    Files.deleteIfExists(active);
    Files.createSymbolicLink(active, Path.of("/dev/full"));
    return active;
  }

  /**
   * With the store locked and the journal's disk full: the first chat is served (nothing has failed yet)
   * and its rows, which then wait out the lock, fail and find the disk full, are held; the next chat is
   * refused; the model list (not billed) is served and its row held too.
   */
  private void refusedWhileNeitherWrites(TestGateway gw, LedgerWriter ledger) throws Exception {
    assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    until("the store and the journal failed", () -> !ledger.journalHealthy() && !ledger.storeHealthy(),
        Duration.ofSeconds(30));
    until("that request's ledger and request-log rows are held", () -> ledger.held() == 2, Duration.ofSeconds(30));

    SqliteLedgerGateway.assertRefusedChat(gw, LedgerWriter.UNAVAILABLE);
    assertThat(gw.get("/v1/models").statusCode()).as("not billed: served").isEqualTo(200);
    until("the model list's request-log row is held too", () -> ledger.held() == 3, Duration.ofSeconds(30));
    assertThat(upstream.requestCount()).as("refused before any provider was called").isEqualTo(1);
    assertThat(ledger.dropped()).isZero();
    assertThat(metric(gw, "sluice_ledger_held_rows")).isEqualTo(3);
    assertThat(metric(gw, "sluice_ledger_journal_up")).isZero();
    assertThat(metric(gw, "sluice_ledger_store_up")).isZero();
  }
}
