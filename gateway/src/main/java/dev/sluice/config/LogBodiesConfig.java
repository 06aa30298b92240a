package dev.sluice.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code log_bodies:} of a key or team: whether request and answer bodies go into the request log,
 * what is masked out of them before they are stored, and how much of each is kept. Immutable.
 *
 * @param redact patterns whose matches are replaced by {@code [REDACTED]} before storage (validated
 *     when the config is read)
 * @param maxBytes bytes kept of each body (UTF-8), the rest cut off
 */
public record LogBodiesConfig(boolean enabled, List<Pattern> redact, int maxBytes) {
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  public LogBodiesConfig {
    redact = List.copyOf(redact);
  }
}
