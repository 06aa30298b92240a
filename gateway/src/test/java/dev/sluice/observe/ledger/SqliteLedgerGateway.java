package dev.sluice.observe.ledger;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The end-to-end ledger tests' set-up: a gateway on one fake provider that answers every chat, its
 * ledger in an SQLite file, and that file as another process sees it (its write lock, its counts).
 */
final class SqliteLedgerGateway {
  /** A chat completion request for the gateway's one model entry. */
  static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private SqliteLedgerGateway() {}

  static TestGateway start(FakeUpstream upstream, Path db) throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    return TestGateway.start(TestGateway.singleProvider("http://127.0.0.1:" + upstream.port() + "/v1", "")
        + "store: { url: \"sqlite:" + db + "\" }\n");
  }

  /** A connection of its own holding the database's write lock until {@link Connection#rollback()}. */
  static Connection holdWriteLock(Path db) throws SQLException {
    Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
    other.setAutoCommit(false);
    try (Statement s = other.createStatement()) {
      s.execute("CREATE TABLE held_by_another_process (x INTEGER)");
    }
    return other;
  }

  /** A chat answered 503 with {@code code} in OpenAI's error format and {@code Retry-After: 1}: the ledger's refusal. */
  static void assertRefusedChat(TestGateway gw, String code) throws Exception {
    HttpResponse<String> chat = gw.post("/v1/chat/completions", CHAT);
    assertThat(chat.statusCode()).isEqualTo(503);
    assertThat(chat.headers().firstValue("retry-after")).hasValue("1");
    JsonNode error = JSON.readTree(chat.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("server_error");
    assertThat(error.path("code").asText()).isEqualTo(code);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Counted on a connection of its own each time: a read snapshot of the moment. */
  static long count(Path db, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
