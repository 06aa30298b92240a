package dev.sluice.config;

/**
 * Rate limits of one scope (a key, a team, a model entry or a target); 0 means no limit.
 *
 * @param rpm requests per minute
 * @param tpm tokens per minute (input estimated before the call, output reserved, settled on usage)
 * @param maxConcurrency requests in flight at once
 */
public record LimitsConfig(long rpm, long tpm, int maxConcurrency) {
  public static final LimitsConfig NONE = new LimitsConfig(0, 0, 0);

  public boolean isNone() {
    return rpm == 0 && tpm == 0 && maxConcurrency == 0;
  }
}
