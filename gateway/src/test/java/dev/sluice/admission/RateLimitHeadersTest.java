package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

  @Test
  void resetIsFormattedTheWayOpenAiSendsIt() {
    assertThat(RateLimitHeaders.formatReset(Duration.ZERO)).isEqualTo("0s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMillis(20))).isEqualTo("20ms");
    assertThat(RateLimitHeaders.formatReset(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMillis(8640))).isEqualTo("8.64s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMillis(1001))).isEqualTo("1.001s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMillis(2010))).isEqualTo("2.01s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMillis(3305))).isEqualTo("3.305s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMillis(61_050))).isEqualTo("1m1.05s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofMinutes(6))).isEqualTo("6m0s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
    assertThat(RateLimitHeaders.formatReset(Duration.ofHours(1))).isEqualTo("1h0m0s");
  }

  @Test
  void resetRoundsUpSoAClientWaitingThatLongIsNotRefusedAgain() {
    assertThat(RateLimitHeaders.formatReset(Duration.ofNanos(1))).isEqualTo("1ms");
    assertThat(RateLimitHeaders.formatReset(Duration.ofNanos(999_000_001))).isEqualTo("1s");
  }
}
