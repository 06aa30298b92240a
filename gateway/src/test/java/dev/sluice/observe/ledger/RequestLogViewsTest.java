package dev.sluice.observe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.LedgerRow;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestLogViewsTest {
  private static LedgerRow.Builder attempt(int n) {
    return LedgerRow.builder("req-1", n, Instant.parse("2026-03-01T10:00:00Z")).key("app", null, null).target("main", "a", "big");
  }

  @Test
  void eachAttemptSaysWhyItWasMade() {
    assertThat(RequestLogViews.kind(attempt(1).build())).isEqualTo("first");
    assertThat(RequestLogViews.kind(attempt(2).retry(true).build())).isEqualTo("retry");
    assertThat(RequestLogViews.kind(attempt(2).build())).as("the next target of the same entry").isEqualTo("failover");
    assertThat(RequestLogViews.kind(attempt(3).fallback(true).build())).isEqualTo("fallback");
    assertThat(RequestLogViews.kind(attempt(2).hedge(true).build())).isEqualTo("hedge");
    assertThat(RequestLogViews.kind(attempt(3).hedge(true).fallback(true).build())).as("a hedge on a fallback entry")
        .isEqualTo("hedge");
  }
}
