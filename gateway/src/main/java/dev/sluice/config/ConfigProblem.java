package dev.sluice.config;

/** One thing wrong with a config file, at a path such as {@code providers[1].base_url}. */
public record ConfigProblem(String path, String message) {
  @Override
  public String toString() {
    return (path.isEmpty() ? "(root)" : path) + ": " + message;
  }
}
