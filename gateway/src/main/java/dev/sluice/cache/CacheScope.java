package dev.sluice.cache;

import java.util.Locale;

/** Whose answers a request may be served: its key's, its team's, or anyone's. */
public enum CacheScope {
  KEY, TEAM, GLOBAL;

  public static CacheScope parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  /**
   * The scope value a request's answers are stored and found under. A key without a team under
   * {@link #TEAM} is its own scope (its key's): a teamless key never shares with another teamless key.
   */
  public String valueFor(String keyId, String team) {
    return switch (this) {
      case KEY -> "key:" + keyId;
      case TEAM -> team != null && !team.isEmpty() ? "team:" + team : "key:" + keyId;
      case GLOBAL -> "global";
    };
  }
}
