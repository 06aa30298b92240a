package dev.sluice.tenancy;

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
public record Principal(String name, String keyId, String team, String priority, boolean allowPriorityHeader,
    LimitsConfig limits, BudgetConfig budget, List<String> models) {

  public static final Principal ANONYMOUS = new Principal("anonymous", null, null, "normal", false, LimitsConfig.NONE,
      null, List.of());
  public static final String KEY = "sluice.principal";

  public Principal {
    models = List.copyOf(models);
  }

  public boolean mayCall(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /** Whom fairness is between in the admission queue: the team, or the key itself. */
  public String tenant() {
    return team != null ? "team:" + team : "key:" + name;
  }
}
