package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Load;
import dev.sluice.testing.SilentServer;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A target that fails every request of a burst at once — a network partition (each TLS handshake
 * times out), a provider answering 503 to everything — must not take the burst down with it when
 * another target is healthy: every request of the burst fails over. The requests were all in flight
 * on the failing target before its breaker could open, so they all fail over together, to a backup
 * that had no traffic of its own until then ({@code routing: priority}). Real sockets: a server that
 * accepts TCP and never answers the handshake, a fake upstream.
 */
class BurstFailOverEndToEndTest {
  private static final String REQUEST = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String ERROR_500 = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}";
  private static final int BURST = 120;

  @RegisterExtension
  static final SilentServer silent = new SilentServer();
  @RegisterExtension
  final FakeUpstream backup = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream overloaded = new FakeUpstream();

  private String config(String primary) {
    return """
        server: { host: 127.0.0.1 }
        providers:
          - %s
          - { name: backup, type: openai-compatible, base_url: %s }
        models:
          - name: chat
            routing: priority
            targets: [ { provider: primary, model: m }, { provider: backup, model: m } ]
        keys: [ { key: %s, name: t } ]
        """.formatted(primary, backup.baseUrl(), TestGateway.KEY);
  }

  @Test
  void aBurstWhoseHandshakesAllTimeOutFailsOverWhole() throws Exception {
    assertTheBurstFailsOverWhole("{ name: primary, type: openai-compatible, base_url: \""
        + silent.httpsBase() + "/v1\", timeouts: { connect: 1s } }");
  }

  @Test
  void aBurstAnsweredOverloadedFailsOverWhole() throws Exception {
    // Every answer is held 300 ms: the whole burst is in flight before the first 503 comes back.
    overloaded.dispatch(r -> FakeResponse.json(503, "{\"error\":{\"message\":\"overloaded\"}}").latency(300));
    assertTheBurstFailsOverWhole("{ name: primary, type: openai-compatible, base_url: " + overloaded.baseUrl() + " }");
  }

  /** {@value #BURST} requests at once, the primary configured as {@code primaryYaml}: the backup answers all. */
  private void assertTheBurstFailsOverWhole(String primaryYaml) throws Exception {
    backup.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config(primaryYaml))) {
      Load.Result burst = Load.run(gw, "/v1/chat/completions", REQUEST, BURST, BURST);

      assertThat(statuses(burst)).as("every request of the burst").isEqualTo(Map.of(200, BURST));
      assertThat(backup.requestCount()).isEqualTo(BURST);
    }
  }

  @Test
  void whenEveryTargetFailsTheFailOversStayWithinTheRetryBudgets() throws Exception {
    // 500s: not a sign of overload, so no adaptive limit comes down and every request makes its attempts.
    backup.dispatch(r -> FakeResponse.json(500, ERROR_500));
    overloaded.dispatch(r -> FakeResponse.json(500, ERROR_500));
    // Time stands still for the budgets' windows: what the budgets allow cannot grow with how long a
    // loaded machine takes to send the requests.
    try (TestGateway gw = TestGateway.start(config("{ name: primary, type: openai-compatible, base_url: "
        + overloaded.baseUrl() + " }").replace("routing: priority", "routing: weighted\n    retries: { same_target: 0 }"),
        new FakeTicker())) {
      int requests = 600;
      int concurrency = 20;
      Load.Result r = Load.run(gw, "/v1/chat/completions", REQUEST, requests, concurrency);

      assertThat(r.ok()).isZero();
      int attempts = overloaded.requestCount() + backup.requestCount();
      // Each target's extra attempts are within its budget (20 % of its first attempts, at least 50
      // in a window), and a fail-over is free only to a target that has not failed since its last
      // success: here, at most the requests in flight before each target's first failure came back.
      // Without budgets every request would make two attempts.
      assertThat(attempts).as("upstream attempts for %d requests", requests)
          .isLessThanOrEqualTo((int) (requests * 1.2) + 2 * concurrency);
    }
  }

  private static Map<Integer, Integer> statuses(Load.Result r) {
    Map<Integer, Integer> byStatus = new TreeMap<>();
    r.statuses().forEach(s -> byStatus.merge(s, 1, Integer::sum));
    return byStatus;
  }
}
