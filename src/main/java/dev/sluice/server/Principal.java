package dev.sluice.server;

import dev.sluice.config.BudgetConfig;
import dev.sluice.config.LimitsConfig;
import java.util.List;

/**
 * Who is calling: the client key a request authenticated with, and what that key may do.
 *
 * @param keyId the stored key's id; null for a key from the config file
 * @param team null when the key belongs to no team
 * @param priority high | normal | low in the admission queue
 * @param models model names the key may call; empty means all
 * @param budget null for none
 */
record Principal(String name, String keyId, String team, String priority, boolean allowPriorityHeader,
    LimitsConfig limits, BudgetConfig budget, List<String> models) {

  static final Principal ANONYMOUS = new Principal("anonymous", null, null, "normal", false, LimitsConfig.NONE,
      null, List.of());
  static final String KEY = "sluice.principal";

  Principal {
    models = List.copyOf(models);
  }

  boolean mayCall(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /** Whom fairness is between in the admission queue: the team, or the key itself. */
  String tenant() {
    return team != null ? "team:" + team : "key:" + name;
  }
}
