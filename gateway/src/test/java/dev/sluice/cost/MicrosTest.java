package dev.sluice.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicrosTest {

  @Test
  void parsesDecimalUsdExactly() {
    assertThat(Micros.parse("0.15").value()).isEqualTo(150_000);
    assertThat(Micros.parse("2.5").value()).isEqualTo(2_500_000);
    assertThat(Micros.parse("18.75").value()).isEqualTo(18_750_000);
    assertThat(Micros.parse("0.075").value()).isEqualTo(75_000);
    assertThat(Micros.parse("0.005").value()).isEqualTo(5_000);
    assertThat(Micros.parse("0.000001").value()).isEqualTo(1);
    assertThat(Micros.parse(" $1.10 ").value()).isEqualTo(1_100_000);
    assertThat(Micros.parse("1.0000000").value()).as("trailing zeros are not precision").isEqualTo(1_000_000);
    assertThat(Micros.parse("0")).isEqualTo(Micros.ZERO);
  }

  @Test
  void refusesAmountsFinerThanAMicroDollarRatherThanRoundingThem() {
    assertThatThrownBy(() -> Micros.parse("0.0000001")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finer than one micro-USD");
    assertThatThrownBy(() -> Micros.ofUsd(new BigDecimal("0.1234567")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesHugeExponentsOnTheirDigitsWithoutComputingThem() {
    // Rescaling these builds a power of ten with a billion digits: found by AdminInputFuzzTest (a hang).
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (String usd : List.of("1e999999999", "-1E+999999999", "1E-999999999", "10000000000000")) {
        assertThatThrownBy(() -> Micros.ofUsd(new BigDecimal(usd))).as(usd)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("or too large");
      }
      assertThat(Micros.ofUsd(new BigDecimal("0E-999999999"))).isEqualTo(Micros.ZERO);
      assertThat(Micros.ofUsd(new BigDecimal("9223372036854.775807")).value()).isEqualTo(Long.MAX_VALUE);
      assertThat(Micros.ofUsd(new BigDecimal("1.500000000E+3")).value()).isEqualTo(1_500_000_000L);
    });
  }

  @Test
  void refusesTextThatIsNotADecimal() {
    assertThatThrownBy(() -> Micros.parse("ten cents")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Micros.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Micros.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsAsUsdWithAllSixDecimals() {
    assertThat(Micros.of(123).toUsdString()).isEqualTo("0.000123");
    assertThat(Micros.of(2_500_000).toUsdString()).isEqualTo("2.500000");
    assertThat(Micros.of(1_234_567_890).toUsdString()).isEqualTo("1234.567890");
    assertThat(Micros.of(-5).toUsdString()).isEqualTo("-0.000005");
    assertThat(Micros.ZERO.toUsdString()).isEqualTo("0.000000");
    assertThat(Micros.parse("0.15").toString()).isEqualTo("0.150000");
  }

  @Test
  void integerFormattingMatchesBigDecimal() {
    // toUsdString formats with integer arithmetic (it is on every answer); BigDecimal is the reference.
    for (long v : new long[] {0, 1, 9, 10, 99, 100, 999_999, 1_000_000, 1_000_001, 10_050_000, -1, -999_999,
        -1_000_000, -12_345_678, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
      assertThat(Micros.of(v).toUsdString()).as("%d", v).isEqualTo(Micros.of(v).toUsd().toPlainString());
    }
  }

  @Test
  void parseAndFormatRoundTrip() {
    for (String usd : List.of("0.000001", "0.150000", "75.000000", "1234.567890")) {
      assertThat(Micros.parse(usd).toUsdString()).isEqualTo(usd);
    }
  }

  @Test
  void roundsHalfUpNotHalfEven() {
    assertThat(Micros.roundHalfUp(new BigDecimal("0.5")).value()).isEqualTo(1);
    assertThat(Micros.roundHalfUp(new BigDecimal("2.5")).value()).as("half-even would give 2").isEqualTo(3);
    assertThat(Micros.roundHalfUp(new BigDecimal("0.4999999")).value()).isEqualTo(0);
    assertThat(Micros.roundHalfUp(new BigDecimal("-0.5")).value()).isEqualTo(-1);
  }

  @Test
  void arithmeticIsExactAndThrowsOnOverflowInsteadOfWrapping() {
    assertThat(Micros.of(7).plus(Micros.of(5))).isEqualTo(Micros.of(12));
    assertThat(Micros.of(7).minus(Micros.of(10))).isEqualTo(Micros.of(-3));
    assertThat(Micros.of(7).times(1_000)).isEqualTo(Micros.of(7_000));
    assertThat(Micros.max(Micros.of(3), Micros.of(9))).isEqualTo(Micros.of(9));
    assertThatThrownBy(() -> Micros.of(Long.MAX_VALUE).plus(Micros.of(1))).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Micros.of(Long.MAX_VALUE / 2).times(3)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void ordersByAmount() {
    assertThat(Micros.of(1)).isLessThan(Micros.of(2));
    assertThat(Micros.of(-1).isNegative()).isTrue();
    assertThat(Micros.ZERO.isZero()).isTrue();
  }

  /** DESIGN.md rule 9, checked: no floating point in any public signature or field of the package. */
  @Test
  void noDoubleOrFloatInThePublicApi() {
    List<Class<?>> types = List.of(Micros.class, Rates.class, Tier.class, ModelPrice.class, Cost.class,
        CostCalculator.class, WorstCase.class, CostForecast.class, CostForecast.Assumptions.class,
        PriceCatalog.class, PricedModel.class);
    for (Class<?> type : types) {
      for (Method m : type.getDeclaredMethods()) {
        assertThat(isFloating(m.getReturnType())).as(m.toString()).isFalse();
        for (Class<?> p : m.getParameterTypes()) {
          assertThat(isFloating(p)).as(m.toString()).isFalse();
        }
      }
      for (Field f : type.getDeclaredFields()) {
        assertThat(isFloating(f.getType())).as(f.toString()).isFalse();
      }
      if (type.isRecord()) {
        for (RecordComponent c : type.getRecordComponents()) {
          assertThat(isFloating(c.getType())).as(c.toString()).isFalse();
        }
      }
    }
  }

  private static boolean isFloating(Class<?> type) {
    return type == double.class || type == float.class || type == Double.class || type == Float.class;
  }
}
