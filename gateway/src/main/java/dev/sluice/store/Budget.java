package dev.sluice.store;

import java.util.Locale;
import java.util.Objects;

/**
 * A spending cap on a key or a team, in integer micro-units of the catalog currency (1 USD =
 * 1,000,000 micros). Stored as three columns ({@code budget_micros}, {@code budget_period},
 * {@code budget_mode}) that are either all set or all {@code NULL}; a {@code null} {@code Budget}
 * means "no cap".
 *
 * @param micros the cap for one period; zero blocks everything (hard) or alerts at once (soft)
 * @param period the window the cap applies to
 * @param mode whether reaching the cap refuses requests or only alerts
 */
public record Budget(long micros, Period period, Mode mode) {

  public Budget {
    if (micros < 0) {
      throw new IllegalArgumentException("a budget is never negative: " + micros);
    }
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(mode, "mode");
  }

  /** The window a budget covers: a UTC calendar day, a UTC calendar month, or for ever. */
  public enum Period {
    DAILY, MONTHLY, TOTAL;

    /** The stored and configured spelling: {@code daily}, {@code monthly}, {@code total}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Period parse(String s) {
      return Period.valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  /** {@code hard} refuses requests once the budget is spent; {@code soft} only alerts. */
  public enum Mode {
    HARD, SOFT;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String s) {
      return Mode.valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }
}
