package dev.sluice.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SameTargetCapTest {

  @Test
  void byDefaultATargetIsRetriedOnceThenLeft() {
    assertThat(SameTargetCap.DEFAULT.allowsRetry(1)).as("after the first attempt failed").isTrue();
    assertThat(SameTargetCap.DEFAULT.allowsRetry(2)).as("after its retry failed too").isFalse();
  }

  @Test
  void zeroFailsOverOnTheFirstFailure() {
    assertThat(new SameTargetCap(0).allowsRetry(1)).isFalse();
  }

  @Test
  void aHigherCapAllowsThatManyRetries() {
    SameTargetCap cap = new SameTargetCap(3);
    assertThat(cap.allowsRetry(3)).isTrue();
    assertThat(cap.allowsRetry(4)).isFalse();
  }

  @Test
  void aNegativeCapIsRejected() {
    assertThatThrownBy(() -> new SameTargetCap(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
