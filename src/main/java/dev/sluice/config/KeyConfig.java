package dev.sluice.config;

/** A static client key from the config file. */
public record KeyConfig(String key, String name) {
  @Override
  public String toString() {
    return "KeyConfig[" + name + "]";
  }
}
