package dev.sluice.provider.anthropic;

import java.time.Clock;
import java.util.Objects;

/**
 * How the Anthropic adapter talks to the Messages API. Immutable; validated when built.
 *
 * @param version the {@code anthropic-version} header value
 * @param defaultMaxTokens the {@code max_tokens} sent when the client gave none (Anthropic requires it)
 * @param clock the source of {@code created} timestamps on translated answers
 */
public record AnthropicOptions(String version, int defaultMaxTokens, Clock clock) {
  public static final String DEFAULT_VERSION = "2023-06-01";
  public static final int DEFAULT_MAX_TOKENS = 4096;

  public AnthropicOptions {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("the anthropic-version must not be blank");
    }
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("the default max_tokens must be at least 1, got " + defaultMaxTokens);
    }
    Objects.requireNonNull(clock, "clock");
  }

  /** Version {@value #DEFAULT_VERSION}, max_tokens {@value #DEFAULT_MAX_TOKENS}, the system UTC clock. */
  public static AnthropicOptions defaults() {
    return new AnthropicOptions(DEFAULT_VERSION, DEFAULT_MAX_TOKENS, Clock.systemUTC());
  }

  /** The same options with another version; null or blank keeps {@value #DEFAULT_VERSION} (config may omit it). */
  public AnthropicOptions withVersion(String newVersion) {
    return new AnthropicOptions(newVersion == null || newVersion.isBlank() ? DEFAULT_VERSION : newVersion,
        defaultMaxTokens, clock);
  }

  public AnthropicOptions withDefaultMaxTokens(int maxTokens) {
    return new AnthropicOptions(version, maxTokens, clock);
  }

  public AnthropicOptions withClock(Clock newClock) {
    return new AnthropicOptions(version, defaultMaxTokens, newClock);
  }
}
