package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OverheadHeaderFormatTest {
  @Test
  void millisecondsHaveThreeDecimals() {
    assertThat(Exchange.millis(417_000)).isEqualTo("0.417");
    assertThat(Exchange.millis(5_000)).isEqualTo("0.005");
    assertThat(Exchange.millis(12_345_678)).isEqualTo("12.345");
    assertThat(Exchange.millis(3_040_000_000L)).isEqualTo("3040.000");
    assertThat(Exchange.millis(-1)).isEqualTo("0.000");
  }
}
