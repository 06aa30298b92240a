package dev.sluice.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAfterAndSafeTextTest {

  private static MultiMap headers(String... kv) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < kv.length; i += 2) {
      m.add(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void readsEveryRetryHintProvidersSend() {
    assertThat(RetryAfter.parse(headers("retry-after-ms", "1500", "retry-after", "9"))).isEqualTo(Duration.ofMillis(1500));
    assertThat(RetryAfter.parse(headers("Retry-After", "2"))).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse(headers("x-ratelimit-reset-requests", "6m0s", "x-ratelimit-reset-tokens", "20ms")))
        .isEqualTo(Duration.ofMinutes(6));
    assertThat(RetryAfter.parse(headers("x-ratelimit-reset-tokens", "1.5s"))).isEqualTo(Duration.ofMillis(1500));
    assertThat(RetryAfter.parse(headers())).isNull();
    assertThat(RetryAfter.parse(headers("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"))).isEqualTo(Duration.ZERO);
  }

  /** An absurd wait overflowed the pipeline's nanosecond deadline arithmetic: found by ProviderAnswerFuzzTest. */
  @Test
  void aWaitIsNeverNegativeNorLongerThanADay() {
    assertThat(RetryAfter.parse(headers("retry-after", "1e300"))).isEqualTo(RetryAfter.MAX);
    assertThat(RetryAfter.parse(headers("retry-after-ms", "9223372036854775807"))).isEqualTo(RetryAfter.MAX);
    assertThat(RetryAfter.parse(headers("x-ratelimit-reset-requests", "99999999999h"))).isEqualTo(RetryAfter.MAX);
    assertThat(RetryAfter.parse(headers("retry-after-ms", "-5"))).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse(headers("retry-after", "-Infinity"))).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse(headers("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"))).isEqualTo(RetryAfter.MAX);
    assertThat(RetryAfter.MAX.toNanos()).isPositive();
  }

  @Test
  void redactsKeysProvidersEchoAndCapsLength() {
    assertThat(SafeText.scrub("Incorrect API key provided: sk-proj-abc***********xyz1."))
        .doesNotContain("sk-proj").contains("[redacted]");
    assertThat(SafeText.scrub("API key not valid: AIzaSyA1234567890abcdefgh")).doesNotContain("AIza");
    assertThat(SafeText.scrub("Authorization: Bearer abc.def")).doesNotContain("abc.def");
    assertThat(SafeText.scrub("x".repeat(5000)).length()).isLessThan(700);
    assertThat(SafeText.scrub("This model's maximum context length is 8192 tokens"))
        .isEqualTo("This model's maximum context length is 8192 tokens");
  }
}
