package dev.sluice.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One budget (of a key or a team) in micro-USD: what was spent in the current period, plus what
 * requests in flight have reserved at their worst case. A reservation is granted only if spent +
 * reserved + this worst case stays within the limit, so parallel requests can never together
 * overspend a hard budget. Periods are UTC days, UTC calendar months, or the whole history.
 * Thread-safe (short synchronized sections).
 */
final class BudgetCounter {
  private final long limitMicros;
  private final String period;
  private long spent;
  private long reserved;
  private Instant periodStart;
  /**
   * When the next period starts, in epoch millis ({@link Long#MAX_VALUE} for a total budget): a
   * reservation checks one long instead of working out today's date (it runs per request).
   */
  private long nextPeriodMillis;

  BudgetCounter(long limitMicros, String period, long spentSoFar, Instant now) {
    this.limitMicros = limitMicros;
    this.period = period;
    this.spent = spentSoFar;
    this.periodStart = periodStart(period, now);
    this.nextPeriodMillis = nextPeriod(period, periodStart);
  }

  private static long nextPeriod(String period, Instant start) {
    return switch (period) {
      case "daily" -> start.plus(java.time.Duration.ofDays(1)).toEpochMilli();
      case "monthly" -> start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
      default -> Long.MAX_VALUE;
    };
  }

  static Instant periodStart(String period, Instant now) {
    LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
    return switch (period) {
      case "daily" -> day.atStartOfDay(ZoneOffset.UTC).toInstant();
      case "monthly" -> day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      default -> Instant.EPOCH;
    };
  }

  /** Reserves {@code worstCase}; false (nothing reserved) when it would pass the limit. */
  synchronized boolean tryReserve(long worstCase, Instant now) {
    roll(now);
    if (spent + reserved + worstCase > limitMicros) {
      return false;
    }
    reserved += worstCase;
    return true;
  }

  /** Replaces a reservation with what the request actually cost; returns the new spend. */
  synchronized long settle(long reservedWorstCase, long actual, Instant now) {
    roll(now);
    reserved = Math.max(0, reserved - reservedWorstCase);
    spent += actual;
    return spent;
  }

  synchronized long spent(Instant now) {
    roll(now);
    return spent;
  }

  long limitMicros() {
    return limitMicros;
  }

  synchronized Instant periodStart() {
    return periodStart;
  }

  private void roll(Instant now) {
    if (now.toEpochMilli() < nextPeriodMillis) {
      return; // still in the current period (or the clock stepped back)
    }
    Instant start = periodStart(period, now);
    if (start.isAfter(periodStart)) {
      periodStart = start;
      nextPeriodMillis = nextPeriod(period, start);
      spent = 0; // a new day or month: the spend starts again (reservations in flight stay)
    }
  }
}
