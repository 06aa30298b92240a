package dev.sluice.config;

import java.time.Duration;

/**
 * The web console at {@code /ui} ({@code console:}).
 *
 * @param sessionTtl how long a sign-in lasts ({@code session_ttl}, 12 hours by default): the session
 *     cookie's Max-Age and the signed session's expiry
 */
public record ConsoleConfig(Duration sessionTtl) {
  public static final ConsoleConfig DEFAULTS = new ConsoleConfig(Duration.ofHours(12));
}
