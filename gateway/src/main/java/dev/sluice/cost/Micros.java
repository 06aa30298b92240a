package dev.sluice.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of money in whole micro-USD (1 USD = 1,000,000 µUSD), the unit every cost in Sluice
 * is kept in (DESIGN.md rule 9: money is never a {@code double}). A per-token price of "$0.15 per
 * million tokens" is the amount {@code 0.15 USD = 150,000 µUSD}, so the same type serves for prices
 * and for costs.
 *
 * <p>Immutable and thread-safe. Arithmetic is exact or throws {@link ArithmeticException} on
 * overflow (a {@code long} holds about 9.2 trillion USD); it never wraps around silently.
 *
 * @param value the amount in micro-USD; may be negative (a refund, a difference), though prices
 *     and costs made by this package never are
 */
public record Micros(long value) implements Comparable<Micros> {
  /** Micro-USD per USD. */
  public static final long PER_USD = 1_000_000L;

  public static final Micros ZERO = new Micros(0);

  /** The amount {@code value} micro-USD. */
  public static Micros of(long value) {
    return value == 0 ? ZERO : new Micros(value);
  }

  /**
   * Parses a USD amount written in decimal, exactly: {@code "0.15"} is 150,000 µUSD,
   * {@code "2.5"} is 2,500,000, {@code "0.000001"} is 1. A leading {@code '$'} is allowed.
   *
   * @throws IllegalArgumentException if the text is not a decimal number, or has a non-zero digit
   *     below the sixth decimal place — such an amount has no exact micro-USD value, and rounding a
   *     price would silently change every bill computed from it
   */
  public static Micros parse(String usd) {
    if (usd == null) {
      throw new IllegalArgumentException("no amount");
    }
    String text = usd.strip();
    if (text.startsWith("$")) {
      text = text.substring(1);
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decimal USD amount: '" + usd + "'", e);
    }
    return ofUsd(amount);
  }

  /**
   * The exact micro-USD value of a USD amount.
   *
   * @throws IllegalArgumentException if the amount has precision below one micro-USD or does not
   *     fit in a {@code long}
   */
  public static Micros ofUsd(BigDecimal usd) {
    if (usd.signum() == 0) {
      return ZERO;
    }
    // Judged on the digits first: rescaling 1E+999999999 (or 1E-999999999) would compute a power of
    // ten with a billion digits before finding that it does not fit. A long holds 13 digits of USD.
    if (usd.precision() - usd.scale() > 13 || usd.stripTrailingZeros().scale() > 6) {
      throw notMicros(usd, null);
    }
    try {
      return of(usd.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).longValueExact());
    } catch (ArithmeticException e) {
      throw notMicros(usd, e);
    }
  }

  /** Names the amount in scientific notation when it has one: its plain form may be a billion digits. */
  private static IllegalArgumentException notMicros(BigDecimal usd, ArithmeticException cause) {
    return new IllegalArgumentException("USD amount " + usd + " is finer than one micro-USD or too large", cause);
  }

  /**
   * Rounds an exact amount of micro-USD to a whole one, half up (…​.5 goes away from zero). This
   * is the single rounding step of every cost: see {@link CostCalculator}.
   *
   * @throws ArithmeticException if the result does not fit in a {@code long}
   */
  public static Micros roundHalfUp(BigDecimal exactMicros) {
    return of(exactMicros.setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  public Micros plus(Micros other) {
    return of(Math.addExact(value, other.value));
  }

  public Micros minus(Micros other) {
    return of(Math.subtractExact(value, other.value));
  }

  public Micros times(long factor) {
    return of(Math.multiplyExact(value, factor));
  }

  public static Micros max(Micros a, Micros b) {
    return a.value >= b.value ? a : b;
  }

  public boolean isZero() {
    return value == 0;
  }

  public boolean isNegative() {
    return value < 0;
  }

  /** This amount in USD, exactly (scale 6). */
  public BigDecimal toUsd() {
    return BigDecimal.valueOf(value, 6);
  }

  /**
   * The amount in USD with all six decimal places and no currency sign: 123 µUSD is
   * {@code "0.000123"}, 2,500,000 µUSD is {@code "2.500000"}, −5 µUSD is {@code "-0.000005"}.
   * Fixed width after the point so columns of costs line up and nothing is lost.
   */
  public String toUsdString() {
    // Integer arithmetic rather than BigDecimal.toPlainString: two of these go on every answer.
    long v = value;
    if (v == Long.MIN_VALUE) {
      return toUsd().toPlainString(); // no positive counterpart to negate into
    }
    StringBuilder sb = new StringBuilder(24);
    if (v < 0) {
      sb.append('-');
      v = -v;
    }
    sb.append(v / 1_000_000).append('.');
    long frac = v % 1_000_000;
    for (long scale = 100_000; scale > 1 && frac < scale; scale /= 10) {
      sb.append('0');
    }
    return sb.append(frac).toString();
  }

  @Override
  public int compareTo(Micros other) {
    return Long.compare(value, other.value);
  }

  /** Same as {@link #toUsdString()}. */
  @Override
  public String toString() {
    return toUsdString();
  }
}
