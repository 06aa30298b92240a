package dev.sluice.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.TokenUsage;
import org.junit.jupiter.api.Test;

/** The cached meters must show up in /metrics exactly as per-call look-ups did: same names, tags, counts. */
class GatewayMetricsTest {
  private final GatewayMetrics metrics = new GatewayMetrics();

  @Test
  void repeatedRequestsAccumulateOnTheSameSeries() {
    for (int i = 0; i < 3; i++) {
      metrics.requestStarted();
      metrics.requestFinished("chat", "gpt", "up", 200, false, 2_000_000, -1, 100_000);
    }
    metrics.requestStarted();
    metrics.requestFinished("chat", "gpt", null, 401, false, 1_000_000, -1, 50_000);
    metrics.requestStarted();
    metrics.requestFinished("chat", "gpt", "up", 200, true, 9_000_000, 3_000_000, 200_000);

    String text = metrics.scrape();
    assertThat(text)
        .contains("sluice_requests_total{endpoint=\"chat\",model=\"gpt\",provider=\"up\",status=\"200\",stream=\"false\"} 3.0")
        .contains("sluice_requests_total{endpoint=\"chat\",model=\"gpt\",provider=\"none\",status=\"401\",stream=\"false\"} 1.0")
        .contains("sluice_requests_total{endpoint=\"chat\",model=\"gpt\",provider=\"up\",status=\"200\",stream=\"true\"} 1.0")
        .contains("sluice_request_duration_seconds_count{endpoint=\"chat\",model=\"gpt\",provider=\"up\",status=\"200\",stream=\"false\"} 3")
        .contains("sluice_overhead_seconds_count{endpoint=\"chat\"} 5")
        .contains("sluice_time_to_first_token_seconds_count{model=\"gpt\",provider=\"up\"} 1")
        .contains("sluice_requests_in_flight 0.0");
  }

  @Test
  void tokenKindsAppearOnlyOnceCounted() {
    metrics.tokens("gpt", "up", new TokenUsage(10, 5, 0, 0, 0));
    metrics.tokens("gpt", "up", new TokenUsage(7, 1, 3, 0, 0));
    String text = metrics.scrape();
    assertThat(text)
        .contains("sluice_tokens_total{model=\"gpt\",provider=\"up\",type=\"input\"} 17.0")
        .contains("sluice_tokens_total{model=\"gpt\",provider=\"up\",type=\"output\"} 6.0")
        .contains("sluice_tokens_total{model=\"gpt\",provider=\"up\",type=\"cached_read\"} 3.0")
        .doesNotContain("type=\"reasoning\"")
        .doesNotContain("type=\"cache_write\"");
  }

  @Test
  void attemptsErrorsAndUnpricedKeepTheirTags() {
    metrics.attempt("up", "gpt-4o", "ok", false, 1_000_000, 500_000);
    metrics.attempt("up", "gpt-4o", "ok", false, 1_000_000, 500_000);
    metrics.attempt("up", "gpt-4o", "rate_limited", true, 1_000_000, -1);
    metrics.upstreamError("up", "rate_limited");
    metrics.upstreamError("up", "rate_limited");
    metrics.unpriced("up", "mystery");
    String text = metrics.scrape();
    assertThat(text)
        .contains("sluice_attempts_total{hedge=\"false\",outcome=\"ok\",provider=\"up\",target_model=\"gpt-4o\"} 2.0")
        .contains("sluice_attempts_total{hedge=\"true\",outcome=\"rate_limited\",provider=\"up\",target_model=\"gpt-4o\"} 1.0")
        .contains("sluice_attempt_duration_seconds_count{hedge=\"false\",outcome=\"ok\",provider=\"up\",target_model=\"gpt-4o\"} 2")
        .contains("sluice_upstream_errors_total{error_class=\"rate_limited\",provider=\"up\"} 2.0")
        .contains("sluice_unpriced_attempts_total{provider=\"up\",target_model=\"mystery\"} 1.0");
  }

  @Test
  void modelNamesBeyondTheCapShareOneSeries() {
    for (int i = 0; i < 505; i++) {
      metrics.requestStarted();
      metrics.requestFinished("chat", "m" + i, "up", 200, false, 1_000_000, -1, -1);
    }
    assertThat(metrics.scrape())
        .contains("sluice_requests_total{endpoint=\"chat\",model=\"other\",provider=\"up\",status=\"200\",stream=\"false\"} 5.0");
  }
}
