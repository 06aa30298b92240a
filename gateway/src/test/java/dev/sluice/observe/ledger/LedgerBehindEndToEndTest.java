package dev.sluice.observe.ledger;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.Await.until;
import static dev.sluice.testing.KeysApi.metric;
import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.store.LedgerRow;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose ledger can keep up neither in its store (another process holds SQLite's write lock)
 * nor in its journal (a disk whose writes hang): billed requests are refused with 503
 * {@code ledger_behind} in their API's own error format, the state is on {@code /metrics}, nothing is
 * lost, and requests are served again once the journal catches up.
 */
class LedgerBehindEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Past the in-flight batch (500) and the queue (10,000), 5,500 wait for the journal: behind from 5,000. */
  private static final int OFFERED = 16_000;

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @TempDir
  Path dir;

  @Test
  void billedRequestsAreRefusedWhileTheLedgerIsBehindAndServedOnceItCatchesUp() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    Path db = dir.resolve("ledger.db");
    String config = TestGateway.singleProvider("http://127.0.0.1:" + upstream.port() + "/v1", "")
        + "store: { url: \"sqlite:" + db + "\" }\n";
    try (TestGateway gw = TestGateway.start(config);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      LedgerWriter ledger = gw.gateway().ledger();
      assertThat(gw.post("/v1/chat/completions", chat()).statusCode()).isEqualTo(200);

      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("CREATE TABLE held_by_another_process (x INTEGER)"); // holds the write lock until rollback
      }
      CountDownLatch journal = ledger.holdJournalForTest();
      Instant now = Instant.now();
      for (int i = 0; i < OFFERED; i++) {
        ledger.offer(LedgerRow.builder("synthetic-" + i, 1, now).key("tester", "k", null)
            .target("chat", "up", "upstream-model").tokens(10, 1, 0, 0, 0).cost(5, true, false).latency(100, null)
            .build());
      }
      assertThat(ledger.behind()).isTrue();

      HttpResponse<String> chat = gw.post("/v1/chat/completions", chat());
      assertThat(chat.statusCode()).isEqualTo(503);
      assertThat(chat.headers().firstValue("retry-after")).hasValue("1");
      JsonNode error = JSON.readTree(chat.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("server_error");
      assertThat(error.path("code").asText()).isEqualTo("ledger_behind");
      HttpResponse<String> messages = gw.post("/v1/messages",
          "{\"model\":\"chat\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
      assertThat(messages.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(messages.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
      assertThat(gw.post("/v1/embeddings", "{\"model\":\"chat\",\"input\":\"Hi\"}").statusCode()).isEqualTo(503);
      assertThat(gw.post("/v1/responses", "{\"model\":\"chat\",\"input\":\"Hi\"}").statusCode()).isEqualTo(503);
      assertThat(gw.get("/v1/models").statusCode()).as("not billed: served").isEqualTo(200);
      assertThat(gw.post("/v1/messages/count_tokens",
          "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").statusCode())
          .as("not billed: served").isEqualTo(200);
      assertThat(upstream.requestCount()).as("refused before any provider was called").isEqualTo(1);
      assertThat(metric(gw, "sluice_ledger_behind")).isEqualTo(1);
      assertThat(metric(gw, "sluice_ledger_overflow_rows")).isGreaterThanOrEqualTo(5_000);

      other.rollback();
      journal.countDown();
      until("the journal caught up", () -> !ledger.behind(), Duration.ofSeconds(30));
      assertThat(gw.post("/v1/chat/completions", chat()).statusCode()).isEqualTo(200);
      until("the journal replayed into the store",
          () -> count(db, "SELECT count(*) FROM ledger WHERE request_id LIKE 'synthetic-%'") == OFFERED,
          Duration.ofSeconds(60));
      await(gw.gateway().ledger().flush());
      assertThat(count(db, "SELECT count(*) FROM request_log WHERE status = 503"))
          .as("the refusals are not written through the ledger they were refused for").isZero();
      assertThat(count(db, "SELECT count(*) FROM request_log")).as("two chats, the model list and the token count")
          .isEqualTo(4);
      assertThat(ledger.dropped()).isZero();
      assertThat(metric(gw, "sluice_ledger_behind")).isZero();
      assertThat(metric(gw, "sluice_ledger_rows_total{outcome=\"dropped\"}")).isZero();
      assertThat(metric(gw, "sluice_ledger_rows_total{outcome=\"spilled\"}")).isPositive();
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
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
