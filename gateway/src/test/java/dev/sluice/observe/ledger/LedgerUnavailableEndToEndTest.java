package dev.sluice.observe.ledger;

import static dev.sluice.testing.Await.until;
import static dev.sluice.testing.KeysApi.metric;
import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose ledger can write neither to its store (another process holds SQLite's write lock)
 * nor to its journal (its file is {@code /dev/full}: every write fails with ENOSPC, as on a full
 * disk): billed requests are refused with 503 {@code ledger_unavailable} instead of being answered
 * with their usage recorded nowhere, and are served again once the journal takes writes.
 */
class LedgerUnavailableEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path dir;

  @Test
  void billedRequestsAreRefusedWhileNothingCanRecordTheirUsageAndServedOnceTheJournalCan() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    Path db = dir.resolve("ledger.db");
    String config = TestGateway.singleProvider("http://127.0.0.1:" + upstream.port() + "/v1", "")
        + "store: { url: \"sqlite:" + db + "\" }\n";
    try (TestGateway gw = TestGateway.start(config);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      LedgerWriter ledger = gw.gateway().ledger();
      Path active = dir.resolve("ledger.db.journal").resolve(Journal.ACTIVE);
      Files.deleteIfExists(active);
      Files.createSymbolicLink(active, Path.of("/dev/full"));
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("CREATE TABLE held_by_another_process (x INTEGER)"); // holds the write lock until rollback
      }

      // Nothing has failed yet: served. Its rows then wait out the lock, fail, and find the disk full.
      assertThat(gw.post("/v1/chat/completions", chat()).statusCode()).isEqualTo(200);
      until("the store and the journal failed", () -> !ledger.journalHealthy() && !ledger.storeHealthy(),
          Duration.ofSeconds(30));
      assertThat(ledger.dropped()).as("that request's ledger and request-log rows").isEqualTo(2);

      HttpResponse<String> refused = gw.post("/v1/chat/completions", chat());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
      JsonNode error = JSON.readTree(refused.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("server_error");
      assertThat(error.path("code").asText()).isEqualTo("ledger_unavailable");
      assertThat(gw.get("/v1/models").statusCode()).as("not billed: served").isEqualTo(200);
      until("the model list's request-log row met the same", () -> ledger.dropped() == 3, Duration.ofSeconds(30));
      assertThat(upstream.requestCount()).as("refused before any provider was called").isEqualTo(1);
      assertThat(metric(gw, "sluice_ledger_journal_up")).isZero();
      assertThat(metric(gw, "sluice_ledger_store_up")).isZero();

      Files.delete(active); // space freed: the next probe (every 5 s) finds the journal writable
      until("the journal takes writes again", () -> ledger.refusal() == null, Duration.ofSeconds(30));
      assertThat(metric(gw, "sluice_ledger_journal_up")).isEqualTo(1);
      assertThat(gw.post("/v1/chat/completions", chat()).statusCode()).as("journaled: the store is still locked")
          .isEqualTo(200);

      other.rollback();
      until("the journal replayed into the store", () -> count(db, "SELECT count(*) FROM ledger") == 1,
          Duration.ofSeconds(60));
      assertThat(ledger.dropped()).as("nothing lost once the journal took writes").isEqualTo(3);
    }
  }

  private static String chat() {
    return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  /** Counted on a connection of its own each time: a read snapshot of the moment. */
  private static long count(Path db, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (java.sql.SQLException e) {
      return -1; // locked for a moment by the writer: asked again
    }
  }
}
