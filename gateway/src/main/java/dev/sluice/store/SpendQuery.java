package dev.sluice.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A spend report over the ledger: rows with {@code from <= ts < to}, optionally only one key's or
 * one team's, grouped one way.
 *
 * @param groupBy how to group
 * @param from inclusive
 * @param to exclusive; {@code null} means no upper bound
 * @param keyName only this key's attempts ({@code key_name}), or {@code null}
 * @param team only this team's attempts, or {@code null}
 */
public record SpendQuery(GroupBy groupBy, Instant from, Instant to, String keyName, String team) {

  public SpendQuery {
    Objects.requireNonNull(groupBy, "groupBy");
    Objects.requireNonNull(from, "from");
    if (to != null && to.isBefore(from)) {
      throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
    }
  }

  public static SpendQuery of(GroupBy groupBy, Instant from, Instant to) {
    return new SpendQuery(groupBy, from, to, null, null);
  }

  public SpendQuery forKey(String keyName) {
    return new SpendQuery(groupBy, from, to, keyName, team);
  }

  public SpendQuery forTeam(String team) {
    return new SpendQuery(groupBy, from, to, keyName, team);
  }

  /**
   * What {@link SpendRow#group()} holds: the key's name ({@code key_name}: the client's stable
   * identity, the same across key rotations), the team ({@code null} for keys without one), the
   * model entry the client asked for ({@code model_entry}), the provider, or the UTC day as
   * {@code yyyy-MM-dd}.
   */
  public enum GroupBy {
    KEY, TEAM, MODEL, PROVIDER, DAY
  }
}
