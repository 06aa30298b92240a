package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import dev.sluice.resilience.RetryDecision.Action;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {
  private final ErrorPolicy defaults = ErrorPolicy.defaults();

  @Test
  void transientTroubleAtOneTargetFailsOverOrRetries() {
    assertThat(defaults.actionFor(ErrorClass.RATE_LIMITED)).isEqualTo(Action.FAIL_OVER);
    assertThat(defaults.actionFor(ErrorClass.OVERLOADED)).isEqualTo(Action.FAIL_OVER);
    assertThat(defaults.actionFor(ErrorClass.TIMEOUT)).isEqualTo(Action.FAIL_OVER);
    assertThat(defaults.actionFor(ErrorClass.SERVER_ERROR)).isEqualTo(Action.RETRY_SAME);
    assertThat(defaults.actionFor(ErrorClass.CONNECTION)).isEqualTo(Action.RETRY_SAME);
  }

  @Test
  void gatewayMisconfigurationAtATargetFailsOver() {
    assertThat(defaults.actionFor(ErrorClass.AUTH)).isEqualTo(Action.FAIL_OVER);
    assertThat(defaults.actionFor(ErrorClass.NOT_FOUND)).isEqualTo(Action.FAIL_OVER);
  }

  @Test
  void theClientsOwnMistakesAreReturned() {
    assertThat(defaults.actionFor(ErrorClass.BAD_REQUEST)).isEqualTo(Action.RETURN);
    assertThat(defaults.actionFor(ErrorClass.CONTEXT_LENGTH_EXCEEDED)).isEqualTo(Action.RETURN);
    assertThat(defaults.actionFor(ErrorClass.CONTENT_FILTER)).isEqualTo(Action.RETURN);
  }

  @Test
  void everyErrorClassHasAnAction() {
    for (ErrorClass c : ErrorClass.values()) {
      assertThat(defaults.actionFor(c)).as(c.name()).isNotNull();
    }
  }

  @Test
  void overridesMakeACopy() {
    ErrorPolicy custom = defaults.withOverride(ErrorClass.SERVER_ERROR, Action.FAIL_OVER)
        .withOverride(ErrorClass.CONTENT_FILTER, Action.FAIL_OVER);
    assertThat(custom.actionFor(ErrorClass.SERVER_ERROR)).isEqualTo(Action.FAIL_OVER);
    assertThat(custom.actionFor(ErrorClass.CONTENT_FILTER)).isEqualTo(Action.FAIL_OVER);
    assertThat(custom.actionFor(ErrorClass.TIMEOUT)).isEqualTo(Action.FAIL_OVER);
    assertThat(defaults.actionFor(ErrorClass.SERVER_ERROR)).isEqualTo(Action.RETRY_SAME);
    assertThat(custom).isNotEqualTo(defaults);
    assertThat(defaults.withOverride(ErrorClass.TIMEOUT, Action.FAIL_OVER)).isEqualTo(defaults);
  }

  @Test
  void decisionCarriesTheRetryAfter() {
    RetryDecision d = defaults.decide(new UpstreamError(ErrorClass.RATE_LIMITED, 429, "slow down", Duration.ofSeconds(7)));
    assertThat(d).isEqualTo(new RetryDecision(Action.FAIL_OVER, ErrorClass.RATE_LIMITED, Duration.ofSeconds(7)));
    assertThat(d.coolsDownTarget()).isTrue();
    RetryDecision e = defaults.decide(UpstreamError.of(ErrorClass.SERVER_ERROR, 500, "oops"));
    assertThat(e.action()).isEqualTo(Action.RETRY_SAME);
    assertThat(e.retryAfter()).isNull();
    assertThat(e.coolsDownTarget()).isFalse();
  }

  @Test
  void parsesConfigNames() {
    assertThat(ErrorPolicy.parseWireName("rate_limited")).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(ErrorPolicy.parseWireName(" Context-Length-Exceeded ")).isEqualTo(ErrorClass.CONTEXT_LENGTH_EXCEEDED);
    for (ErrorClass c : ErrorClass.values()) {
      assertThat(ErrorPolicy.parseWireName(c.wireName())).isEqualTo(c);
    }
    assertThatThrownBy(() -> ErrorPolicy.parseWireName("teapot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("teapot").hasMessageContaining("rate_limited").hasMessageContaining("bad_request");
    assertThat(Action.parseWireName("fail-over")).isEqualTo(Action.FAIL_OVER);
    assertThat(Action.parseWireName("RETRY_SAME")).isEqualTo(Action.RETRY_SAME);
    assertThatThrownBy(() -> Action.parseWireName("retry")).hasMessageContaining("retry_same, fail_over, return");
  }
}
