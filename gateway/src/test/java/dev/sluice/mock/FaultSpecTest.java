package dev.sluice.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FaultSpecTest {

  @Test
  void blankOrNullIsNone() {
    assertThat(FaultSpec.parse(null)).isSameAs(FaultSpec.NONE);
    assertThat(FaultSpec.parse("  ")).isSameAs(FaultSpec.NONE);
    assertThat(FaultSpec.NONE.isNone()).isTrue();
    assertThat(FaultSpec.NONE.mayFail()).isFalse();
    assertThat(FaultSpec.NONE.errorStatus()).isEqualTo(500);
    assertThat(FaultSpec.NONE.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void parsesEveryItem() {
    FaultSpec spec = FaultSpec.parse(" latency=250ms, jitter=1s,chunk_delay=20,error_rate=0.2,"
        + "status=503,retry_after=2,cut_after=3,words=10,hang ");

    assertThat(spec.latency()).isEqualTo(Duration.ofMillis(250));
    assertThat(spec.jitter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(spec.chunkDelay()).isEqualTo(Duration.ofMillis(20));
    assertThat(spec.errorRate()).hasValue(0.2);
    assertThat(spec.status()).hasValue(503);
    assertThat(spec.errorStatus()).isEqualTo(503);
    assertThat(spec.retryAfterSeconds()).isEqualTo(2);
    assertThat(spec.cutAfter()).hasValue(3);
    assertThat(spec.words()).isEqualTo(10);
    assertThat(spec.hang()).isTrue();
    assertThat(spec.reset()).isFalse();
    assertThat(spec.isNone()).isFalse();
  }

  @Test
  void canonicalFormRoundTrips() {
    FaultSpec spec = FaultSpec.parse("reset,latency=1.5s,error_rate=0.25,words=3");

    assertThat(spec.toString()).isEqualTo("latency=1500ms,error_rate=0.25,reset,words=3");
    assertThat(FaultSpec.parse(spec.toString())).isEqualTo(spec);
  }

  @Test
  void statusAloneAlwaysFailsButAZeroErrorRateNever() {
    assertThat(FaultSpec.parse("status=429").mayFail()).isTrue();
    assertThat(FaultSpec.parse("status=429,error_rate=0").mayFail()).isFalse();
    assertThat(FaultSpec.parse("error_rate=0.1").errorStatus()).isEqualTo(500);
  }

  @ParameterizedTest
  @CsvSource({"250ms,250", "2s,2000", "1m,60000", "300,300", "0,0", "1.5s,1500", "10 MS,10"})
  void parsesDurations(String text, long millis) {
    assertThat(FaultSpec.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-5ms", "5h", "ms", "1,5s", "abc"})
  void rejectsBadDurations(String text) {
    assertThatThrownBy(() -> FaultSpec.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "latncy=5ms|unknown fault 'latncy=5ms'",
      "latency|latency",
      "latency=fast|invalid duration 'fast'",
      "status=200|must be between 400 and 599",
      "status=abc|not an integer",
      "error_rate=1.5|must be between 0 and 1",
      "error_rate=NaN|must be between 0 and 1",
      "cut_after=-1|cut_after=-1",
      "words=1000000|words=1000000",
      "hang=maybe|expected a bare flag",
      "status=500,status=503|duplicate fault 'status'",
      "hang,reset|mutually exclusive"})
  void rejectsBadSpecsWithAMessageNamingTheProblem(String spec, String expected) {
    assertThatThrownBy(() -> FaultSpec.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void optionsRejectAnInvalidDefaultFault() {
    assertThatThrownBy(() -> MockUpstreamOptions.builder().defaultFault("bogus").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultFault")
        .hasMessageContaining("bogus");
    assertThatThrownBy(() -> MockUpstreamOptions.builder().port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void optionsDefaults() {
    MockUpstreamOptions options = MockUpstreamOptions.defaults();

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isZero();
    assertThat(options.defaultFaultSpec()).isSameAs(FaultSpec.NONE);
    assertThat(options.requiredKey()).isEmpty();
    assertThat(options.seed()).isEmpty();
    assertThat(MockUpstreamOptions.builder().requiredKey("k").build().toString())
        .doesNotContain("=k");
  }

  @Test
  void heavyTailItemsParseAndRoundTrip() {
    FaultSpec spec = FaultSpec.parse("slow_rate=0.05,slow=1500ms");
    assertThat(spec.slowRate()).isEqualTo(0.05);
    assertThat(spec.slow()).isEqualTo(java.time.Duration.ofMillis(1500));
    assertThat(FaultSpec.parse(spec.toString())).isEqualTo(spec);
    assertThatThrownBy(() -> FaultSpec.parse("slow_rate=2")).isInstanceOf(IllegalArgumentException.class);
  }
}
