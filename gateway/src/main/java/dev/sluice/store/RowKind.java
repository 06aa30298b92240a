package dev.sluice.store;

import java.util.Locale;

/**
 * What a ledger row records, in its {@code kind} column. Only {@link #CALL} rows are the client's
 * spend: shadow calls are charged to the shadow account, cache hits cost nothing (they record what
 * the answer saved instead).
 */
public enum RowKind {
  /** An upstream attempt made to answer a client (the default, and every row written before V8). */
  CALL,
  /** A copy of a client's request sent to a candidate model; never the client's answer or spend. */
  SHADOW,
  /** An answer served from Sluice's response cache: cost 0, {@code saved_micros} = the original call's cost. */
  CACHE_HIT;

  /** The stored spelling: {@code call}, {@code shadow}, {@code cache_hit}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RowKind parse(String s) {
    return RowKind.valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
