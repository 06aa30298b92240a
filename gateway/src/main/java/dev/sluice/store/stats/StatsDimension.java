package dev.sluice.store.stats;

import java.util.Locale;

/**
 * What a stats series can be told apart by: the model the client asked for, the provider that
 * served it, the target (provider and upstream model), the key's name, the key's team.
 */
public enum StatsDimension {
  MODEL, PROVIDER, TARGET, KEY, TEAM;

  /** The lower-case name used in the API ({@code group_by=model}). */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The dimension named {@code text} (case-insensitive), or null when none is. */
  public static StatsDimension parse(String text) {
    for (StatsDimension d : values()) {
      if (d.wire().equalsIgnoreCase(text)) {
        return d;
      }
    }
    return null;
  }
}
