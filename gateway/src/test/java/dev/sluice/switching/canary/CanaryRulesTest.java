package dev.sluice.switching.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The canary's state machine on explicit times: steps, holds, roll-overs, rollbacks and operator actions. */
class CanaryRulesTest {
  private static final long MIN = 60_000;
  /** start 1%, step 10%, every 10 minutes, max 30%; roll back above 2% errors or a p95 TTFT above 2s, from 200 requests. */
  private static final CanarySpec SPEC = new CanarySpec("chat", "chat-next", 10_000, 100_000, 300_000, 10 * MIN,
      20_000, 2000, 200);

  private static CanaryState feed(CanaryState s, int ok, int failed, long ttftMillis, long now) {
    for (int i = 0; i < ok; i++) {
      s = CanaryRules.record(SPEC, s, CanaryOutcome.answered(ttftMillis), now);
    }
    for (int i = 0; i < failed; i++) {
      s = CanaryRules.record(SPEC, s, CanaryOutcome.failed(), now);
    }
    return s;
  }

  @Test
  void rampsOneStepPerPeriodWhileTheWindowHasEnoughHealthyRequests() {
    long t = 1_000_000;
    CanaryState s = CanaryRules.fresh(SPEC, t);
    assertThat(s.phase()).isEqualTo(CanaryPhase.RAMPING);
    assertThat(s.sharePpm()).isEqualTo(10_000);

    s = feed(s, 300, 0, 100, t + MIN);
    assertThat(s.sharePpm()).as("not yet due").isEqualTo(10_000);
    s = CanaryRules.evaluate(SPEC, s, t + 10 * MIN);
    assertThat(s.sharePpm()).isEqualTo(110_000);
    assertThat(s.stepStartedAt()).isEqualTo(t + 10 * MIN);
    assertThat(s.window()).isEqualTo(CanaryWindow.EMPTY);

    s = feed(s, 200, 0, 100, t + 20 * MIN);
    assertThat(s.sharePpm()).as("stepped by the 200th request, once due").isEqualTo(210_000);
    s = feed(s, 200, 0, 100, t + 30 * MIN);
    assertThat(s.sharePpm()).as("capped at max").isEqualTo(300_000);
    assertThat(s.phase()).isEqualTo(CanaryPhase.COMPLETE);

    s = feed(s, 200, 0, 100, t + 40 * MIN);
    assertThat(s.sharePpm()).isEqualTo(300_000);
    assertThat(s.window()).as("the window still rolls over at max").isEqualTo(CanaryWindow.EMPTY);
  }

  @Test
  void holdsWhileTheWindowLacksRequestsHoweverLongItTakes() {
    long t = 5_000;
    CanaryState s = feed(CanaryRules.fresh(SPEC, t), 199, 0, 100, t);
    for (long m = 10; m <= 600; m += 10) {
      s = CanaryRules.evaluate(SPEC, s, t + m * MIN);
    }
    assertThat(s.sharePpm()).isEqualTo(10_000);
    assertThat(s.phase()).isEqualTo(CanaryPhase.RAMPING);
    s = feed(s, 1, 0, 100, t + 601 * MIN);
    assertThat(s.sharePpm()).as("the 200th request completes the window, long past due").isEqualTo(110_000);
  }

  @Test
  void rollsBackWhenTheErrorRateIsAboveTheLimitWithEnoughRequests() {
    long t = 0;
    CanaryState s = feed(CanaryRules.fresh(SPEC, t), 0, 10, 0, t);
    assertThat(s.phase()).as("10 of 10 failed, but below min_requests").isEqualTo(CanaryPhase.RAMPING);
    s = feed(s, 189, 0, 100, t);
    assertThat(s.phase()).isEqualTo(CanaryPhase.RAMPING);
    s = feed(s, 1, 0, 100, t + 1);
    assertThat(s.phase()).isEqualTo(CanaryPhase.ROLLED_BACK);
    assertThat(s.sharePpm()).isZero();
    assertThat(s.rolledBackAt()).isEqualTo(1);
    assertThat(s.reason()).contains("error rate 5.0% above 2.0%").contains("10 failed of 200 requests");

    CanaryState after = feed(s, 500, 0, 100, t + 100 * MIN);
    after = CanaryRules.evaluate(SPEC, after, t + 1000 * MIN);
    assertThat(after).as("stays rolled back").isEqualTo(s);
  }

  @Test
  void exactlyAtTheErrorLimitDoesNotRollBack() {
    CanaryState s = feed(CanaryRules.fresh(SPEC, 0), 196, 4, 100, 0);
    assertThat(s.phase()).isEqualTo(CanaryPhase.RAMPING);
  }

  @Test
  void rollsBackWhenMoreThanFivePercentAreSlowerThanTheP95Limit() {
    CanaryState s = feed(CanaryRules.fresh(SPEC, 0), 190, 0, 500, 0);
    s = feed(s, 10, 0, 2500, 0);
    assertThat(s.phase()).as("5% slow: the p95 is not above the limit").isEqualTo(CanaryPhase.RAMPING);
    s = feed(s, 1, 0, 2500, 0);
    assertThat(s.phase()).isEqualTo(CanaryPhase.ROLLED_BACK);
    assertThat(s.reason()).contains("p95 time to first token above 2000 ms").contains("11 of 201");
  }

  @Test
  void operatorActions() {
    CanaryState s = CanaryRules.fresh(SPEC, 0);
    CanaryState paused = CanaryRules.command(SPEC, s, CanaryAction.PAUSE, 1);
    assertThat(paused.phase()).isEqualTo(CanaryPhase.PAUSED);
    paused = feed(paused, 300, 0, 100, 100 * MIN);
    assertThat(paused.sharePpm()).as("no steps while paused").isEqualTo(10_000);
    CanaryState resumed = CanaryRules.command(SPEC, paused, CanaryAction.RESUME, 100 * MIN);
    assertThat(resumed.phase()).isEqualTo(CanaryPhase.RAMPING);
    assertThat(resumed.window()).isEqualTo(CanaryWindow.EMPTY);

    CanaryState back = CanaryRules.command(SPEC, resumed, CanaryAction.ROLLBACK, 101 * MIN);
    assertThat(back.phase()).isEqualTo(CanaryPhase.ROLLED_BACK);
    assertThat(back.reason()).isEqualTo("rolled back by an operator");
    assertThatThrownBy(() -> CanaryRules.command(SPEC, back, CanaryAction.RESUME, 102 * MIN))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("restart");

    CanaryState again = CanaryRules.command(SPEC, back, CanaryAction.RESTART, 103 * MIN);
    assertThat(again.phase()).isEqualTo(CanaryPhase.RAMPING);
    assertThat(again.sharePpm()).isEqualTo(10_000);
    assertThat(again.stepStartedAt()).isEqualTo(103 * MIN);
    assertThat(again.reason()).as("the last rollback stays on record").isEqualTo("rolled back by an operator");
    assertThat(again.version()).isGreaterThan(back.version());
  }

  @Test
  void windowP95IsTheBucketBoundOfTheNinetyFifthPercentile() {
    CanaryWindow w = CanaryWindow.EMPTY;
    for (int i = 0; i < 95; i++) {
      w = w.plus(CanaryOutcome.answered(80), 0);
    }
    assertThat(w.p95TtftMillis()).isEqualTo(100);
    for (int i = 0; i < 10; i++) {
      w = w.plus(CanaryOutcome.answered(1800), 0);
    }
    assertThat(w.p95TtftMillis()).isEqualTo(2000);
    assertThat(CanaryWindow.EMPTY.p95TtftMillis()).isEqualTo(-1);
  }
}
