package dev.sluice.observe.ledger;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.Await.until;
import static dev.sluice.testing.KeysApi.metric;
import static dev.sluice.observe.ledger.SqliteLedgerGateway.CHAT;
import static dev.sluice.observe.ledger.SqliteLedgerGateway.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.store.LedgerRow;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
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
    Path db = dir.resolve("ledger.db");
    try (TestGateway gw = SqliteLedgerGateway.start(upstream, db)) {
      LedgerWriter ledger = gw.gateway().ledger();
      assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);

      try (Connection other = SqliteLedgerGateway.holdWriteLock(db)) {
        CountDownLatch journal = ledger.holdJournalForTest();
        Instant now = Instant.now();
        for (int i = 0; i < OFFERED; i++) {
          ledger.offer(LedgerRow.builder("synthetic-" + i, 1, now).key("tester", "k", null)
              .target("chat", "up", "upstream-model").tokens(10, 1, 0, 0, 0).cost(5, true, false).latency(100, null)
              .build());
        }
        assertThat(ledger.behind()).isTrue();

        SqliteLedgerGateway.assertRefusedChat(gw, LedgerWriter.BEHIND);
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
        assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
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
  }
}
