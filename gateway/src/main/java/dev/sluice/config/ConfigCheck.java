package dev.sluice.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@code sluice config check}, shared with {@code GET /admin/config}: whether a config
 * is valid, a one-line summary, every problem with its path (none when valid) and the warnings (the
 * optional entries left out, such as a provider whose key is unset). Immutable. Problems and warnings
 * never carry a secret (see {@code ConfigSecretsTest}).
 *
 * @param source the file checked, or a name for a config that is already loaded
 * @param summary {@code "3 providers, 4 models, 2 keys"} when valid, {@code "2 problem(s)"} when not
 */
public record ConfigCheck(String source, boolean valid, String summary, List<ConfigProblem> problems,
    List<String> warnings) {

  public ConfigCheck {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  /** Checks the file {@code file} as {@code loader} reads it. */
  public static ConfigCheck load(ConfigLoader loader, Path file) {
    try {
      return of(file.toString(), loader.load(file));
    } catch (ConfigException e) {
      return new ConfigCheck(file.toString(), false, e.problems().size() + " problem(s)", e.problems(), List.of());
    }
  }

  /** The check of a config already loaded (it is valid, or it could not have been loaded). */
  public static ConfigCheck of(String source, SluiceConfig cfg) {
    return new ConfigCheck(source, true, cfg.providers().size() + " providers, " + cfg.models().size() + " models, "
        + cfg.keys().size() + " keys", List.of(), cfg.skipped());
  }
}
