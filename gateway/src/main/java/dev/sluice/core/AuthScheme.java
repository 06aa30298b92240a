package dev.sluice.core;

/**
 * How a provider expects its API key: in a header, with an optional prefix
 * ({@code Authorization: Bearer …}, {@code x-api-key: …}, {@code api-key: …}).
 */
public record AuthScheme(String header, String prefix) {
  public static AuthScheme bearer() {
    return new AuthScheme("Authorization", "Bearer ");
  }

  public static AuthScheme header(String name) {
    return new AuthScheme(name, "");
  }
}
