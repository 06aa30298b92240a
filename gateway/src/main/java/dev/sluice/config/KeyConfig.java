package dev.sluice.config;

import java.util.List;

/**
 * A static client key from the config file.
 *
 * @param team null when the key belongs to no team
 * @param priority high | normal | low: its place in the admission queue
 * @param allowPriorityHeader whether the client may pick its priority per request ({@code x-sluice-priority})
 * @param models model names the key may call; empty means all
 * @param budget null for none
 * @param logBodies null: the team's, else bodies are not stored
 */
public record KeyConfig(String key, String name, String team, String priority, boolean allowPriorityHeader,
    LimitsConfig limits, BudgetConfig budget, List<String> models, LogBodiesConfig logBodies) {

  public KeyConfig {
    models = List.copyOf(models);
  }

  public KeyConfig(String key, String name) {
    this(key, name, null, "normal", false, LimitsConfig.NONE, null, List.of(), null);
  }

  @Override
  public String toString() {
    return "KeyConfig[" + name + "]";
  }
}
