package dev.sluice.switching.shadow;

import java.util.Locale;

/** Why a request was not copied to a shadow candidate ({@code sluice_shadow_dropped_total{reason}}). */
public enum ShadowDrop {
  /** Not in the sample (the usual case: only {@code sample} of the requests are copied). */
  SAMPLE,
  /** The gateway is under pressure: requests wait in the admission queue, or the candidate is at its concurrency limit. */
  PRESSURE,
  /** {@code max_concurrency} shadow calls to the candidate are already in flight. */
  CONCURRENCY,
  /** The call's worst case would pass {@code max_usd_per_day} (or the shared counter could not be reached). */
  SPEND_CAP;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
