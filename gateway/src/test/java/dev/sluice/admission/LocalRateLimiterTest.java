package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {
  private final FakeTicker ticker = new FakeTicker();
  private final LocalRateLimiter limiter = new LocalRateLimiter(ticker);
  private static final Scope KEY = Scope.key("k1");
  private static final Scope MODEL = Scope.model("gpt-4o");

  private static List<ScopedLimit> only(Scope scope, long rpm, long tpm, int conc) {
    return List.of(new ScopedLimit(scope, new LimitSpec(rpm, tpm, conc)));
  }

  @Test
  void sixtyRpmAdmitsExactlySixtyOfAHundredParallelCalls() throws Exception {
    List<Admission> results = Parallel.run(100, 8, () -> limiter.tryReserve(only(KEY, 60, 0, 0), 10));

    assertThat(results).filteredOn(Admission::admitted).hasSize(60);
    List<Admission> refused = results.stream().filter(a -> !a.admitted()).toList();
    assertThat(refused).hasSize(40).allSatisfy(a -> {
      assertThat(a.verdict()).isEqualTo(Admission.Verdict.LIMITED);
      assertThat(a.scope()).contains(KEY);
      assertThat(a.kind()).contains(LimitKind.REQUESTS);
      assertThat(a.retryAfter()).isEqualTo(Duration.ofSeconds(1));
      assertThat(a.httpStatus()).isEqualTo(429);
    });
  }

  @Test
  void aRefusedRequestIsAdmittedOnceItsRetryAfterHasPassed() {
    for (int i = 0; i < 60; i++) {
      limiter.tryReserve(only(KEY, 60, 0, 0), 0);
    }
    Admission refused = limiter.tryReserve(only(KEY, 60, 0, 0), 0);
    assertThat(refused.admitted()).isFalse();

    ticker.advance(refused.retryAfter().minusMillis(1));
    assertThat(limiter.tryReserve(only(KEY, 60, 0, 0), 0).admitted()).isFalse();
    ticker.advanceMillis(1);
    assertThat(limiter.tryReserve(only(KEY, 60, 0, 0), 0).admitted()).isTrue();
  }

  @Test
  void admittedTokensNeverExceedTpmUnderParallelCalls() throws Exception {
    List<Admission> results = Parallel.run(40, 8, () -> limiter.tryReserve(only(KEY, 0, 1000, 0), 300));

    List<Admission> admitted = results.stream().filter(Admission::admitted).toList();
    assertThat(admitted).hasSize(3);
    assertThat(admitted.stream().mapToLong(a -> a.reservation().estimatedTokens()).sum()).isLessThanOrEqualTo(1000);
    assertThat(results).filteredOn(a -> !a.admitted())
        .allSatisfy(a -> assertThat(a.kind()).contains(LimitKind.TOKENS));
  }

  @Test
  void settlingBelowTheEstimateFreesRoomForMoreRequests() {
    Admission first = limiter.tryReserve(only(KEY, 0, 1000, 0), 300);
    limiter.tryReserve(only(KEY, 0, 1000, 0), 300);
    limiter.tryReserve(only(KEY, 0, 1000, 0), 300);
    assertThat(limiter.tryReserve(only(KEY, 0, 1000, 0), 300).admitted()).isFalse();

    first.reservation().settle(100); // used 100 of 300: 200 come back, level 700

    assertThat(limiter.tryReserve(only(KEY, 0, 1000, 0), 300).admitted()).isTrue();
    assertThat(limiter.tryReserve(only(KEY, 0, 1000, 0), 1).admitted()).isFalse();
  }

  @Test
  void settlingAboveTheEstimateChargesTheDifference() {
    Admission a = limiter.tryReserve(only(KEY, 0, 1000, 0), 100);
    a.reservation().settle(900);

    Admission next = limiter.tryReserve(only(KEY, 0, 1000, 0), 200);
    assertThat(next.admitted()).isFalse();
    assertThat(next.kind()).contains(LimitKind.TOKENS);
    assertThat(next.retryAfter()).isEqualTo(Duration.ofSeconds(6)); // 100 tokens at 1000/min
  }

  @Test
  void releaseGivesTheTokensBackButTheRequestStaysCounted() {
    Admission a = limiter.tryReserve(only(KEY, 2, 500, 0), 500);
    a.reservation().release();

    Admission b = limiter.tryReserve(only(KEY, 2, 500, 0), 500);
    assertThat(b.admitted()).isTrue();
    Admission c = limiter.tryReserve(only(KEY, 2, 500, 0), 0);
    assertThat(c.admitted()).isFalse();
    assertThat(c.kind()).contains(LimitKind.REQUESTS);
  }

  @Test
  void concurrencyLimitIsExactUnderParallelCallsAndSettleFreesOneSlotOnce() throws Exception {
    List<Admission> results = Parallel.run(50, 8, () -> limiter.tryReserve(only(KEY, 0, 0, 5), 0));
    List<Admission> admitted = results.stream().filter(Admission::admitted).toList();
    assertThat(admitted).hasSize(5);
    assertThat(results).filteredOn(a -> !a.admitted())
        .allSatisfy(a -> assertThat(a.kind()).contains(LimitKind.CONCURRENCY));

    admitted.get(0).reservation().settle(0);
    admitted.get(0).reservation().settle(0); // idempotent: frees nothing more
    admitted.get(0).reservation().release();

    assertThat(limiter.tryReserve(only(KEY, 0, 0, 5), 0).admitted()).isTrue();
    assertThat(limiter.tryReserve(only(KEY, 0, 0, 5), 0).admitted()).isFalse();
  }

  @Test
  void aRefusalByOneScopeChargesNoOtherScope() {
    List<ScopedLimit> both = List.of(new ScopedLimit(KEY, new LimitSpec(10, 0, 0)),
        new ScopedLimit(MODEL, new LimitSpec(1, 0, 0)));
    assertThat(limiter.tryReserve(both, 0).admitted()).isTrue();

    Admission refused = limiter.tryReserve(both, 0);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.scope()).contains(MODEL);

    // Had the refused call charged the key, 7 would remain now, not 8.
    Admission keyOnly = limiter.tryReserve(only(KEY, 10, 0, 0), 0);
    assertThat(keyOnly.headers().requests().orElseThrow().remaining()).isEqualTo(8);
  }

  @Test
  void theRefusalNamesTheLimitThatFreesLast() {
    List<ScopedLimit> both = List.of(new ScopedLimit(KEY, new LimitSpec(60, 0, 0)),
        new ScopedLimit(MODEL, new LimitSpec(6, 0, 0)));
    assertThat(limiter.tryReserve(both, 0).admitted()).isTrue();
    for (int i = 0; i < 59; i++) {
      limiter.tryReserve(only(KEY, 60, 0, 0), 0);
    }
    for (int i = 0; i < 5; i++) {
      limiter.tryReserve(only(MODEL, 6, 0, 0), 0);
    }

    Admission refused = limiter.tryReserve(both, 0);
    assertThat(refused.scope()).contains(MODEL); // frees in 10 s, the key in 1 s
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aRequestLargerThanTheTpmIsTooLargeRatherThanLimited() {
    Admission a = limiter.tryReserve(only(KEY, 0, 1000, 0), 1001);
    assertThat(a.verdict()).isEqualTo(Admission.Verdict.TOO_LARGE);
    assertThat(a.kind()).contains(LimitKind.TOKENS);
    assertThat(a.httpStatus()).isEqualTo(429);
    assertThat(a.reason()).contains("1001").contains("1000");
  }

  @Test
  void headersDescribeTheTightestScopeOfEachDimension() {
    List<ScopedLimit> both = List.of(new ScopedLimit(KEY, new LimitSpec(100, 10_000, 0)),
        new ScopedLimit(MODEL, new LimitSpec(10, 100_000, 0)));
    Admission a = limiter.tryReserve(both, 1000);

    assertThat(a.headers().toMap()).containsExactly(
        entry("x-ratelimit-limit-requests", "10"),
        entry("x-ratelimit-remaining-requests", "9"),
        entry("x-ratelimit-reset-requests", "6s"),
        entry("x-ratelimit-limit-tokens", "10000"),
        entry("x-ratelimit-remaining-tokens", "9000"),
        entry("x-ratelimit-reset-tokens", "6s"));
  }

  @Test
  void scopesWithoutLimitsAdmitEverythingAndSendNoHeaders() {
    Admission a = limiter.tryReserve(only(KEY, 0, 0, 0), 1_000_000);
    assertThat(a.admitted()).isTrue();
    assertThat(a.headers().toMap()).isEmpty();
  }

  private static java.util.Map.Entry<String, String> entry(String k, String v) {
    return java.util.Map.entry(k, v);
  }
}
