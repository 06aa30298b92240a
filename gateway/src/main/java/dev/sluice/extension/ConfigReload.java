package dev.sluice.extension;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The outcome of one config reload. Applied: {@code changes} says what changed (models, providers,
 * keys, teams added / removed / changed, limits, prices, and the settings that need a restart).
 * Refused: nothing changed, and {@code problems} names every problem with its path. Never holds a
 * secret. Immutable.
 *
 * @param source the file read
 * @param changes {@code ConfigChanges#toJson()}; empty when refused
 */
public record ConfigReload(boolean applied, String source, String summary, ObjectNode changes,
    List<Problem> problems) {

  public ConfigReload {
    problems = List.copyOf(problems);
  }

  /** One thing wrong with the new config, at a path such as {@code models[0].targets[1].provider}. */
  public record Problem(String path, String message) {}

  public static ConfigReload refused(String source, List<Problem> problems) {
    return new ConfigReload(false, source, problems.size() + " problem(s)",
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), problems);
  }
}
