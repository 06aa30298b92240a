package dev.sluice.admission;

import java.util.Objects;

/**
 * What a limit is counted against: an API key, a team, a model or an upstream target. The kind is
 * one of {@link #KEY}, {@link #TEAM}, {@link #MODEL}, {@link #TARGET}; the id is opaque.
 */
public record Scope(String kind, String id) {
  public static final String KEY = "key";
  public static final String TEAM = "team";
  public static final String MODEL = "model";
  public static final String TARGET = "target";

  public Scope {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    if (!kind.equals(KEY) && !kind.equals(TEAM) && !kind.equals(MODEL) && !kind.equals(TARGET)) {
      throw new IllegalArgumentException("scope kind is key|team|model|target: " + kind);
    }
  }

  public static Scope key(String id) {
    return new Scope(KEY, id);
  }

  public static Scope team(String id) {
    return new Scope(TEAM, id);
  }

  public static Scope model(String id) {
    return new Scope(MODEL, id);
  }

  public static Scope target(String id) {
    return new Scope(TARGET, id);
  }

  /** {@code kind:id}; unambiguous because a kind never contains a colon. */
  @Override
  public String toString() {
    return kind + ":" + id;
  }
}
