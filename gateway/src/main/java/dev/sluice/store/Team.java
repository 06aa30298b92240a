package dev.sluice.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A team: a name that keys belong to, with an optional shared budget and where to send budget
 * alerts.
 *
 * @param budget the team's cap across all its keys, or {@code null}
 * @param alertWebhook URL to POST budget alerts to, or {@code null}
 * @param alertThresholds percentages of the budget at which to alert (e.g. 50, 80, 100), or
 *     {@code null}; stored as a JSON array
 * @param createdAt from the caller's clock; an upsert of an existing team keeps the first one
 */
public record Team(String name, Budget budget, String alertWebhook, List<Integer> alertThresholds, Instant createdAt) {

  public Team {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    if (alertThresholds != null) {
      alertThresholds = List.copyOf(alertThresholds);
      for (int t : alertThresholds) {
        if (t <= 0) {
          throw new IllegalArgumentException("alert thresholds are positive percentages: " + alertThresholds);
        }
      }
    }
    createdAt = Millis.truncate(createdAt);
  }

  /** A team with nothing but a name. */
  public static Team named(String name, Instant createdAt) {
    return new Team(name, null, null, null, createdAt);
  }
}
