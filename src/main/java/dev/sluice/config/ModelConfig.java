package dev.sluice.config;

import java.util.List;

/** A model name clients may send, and the targets that serve it. */
public record ModelConfig(String name, List<TargetConfig> targets) {
  public ModelConfig {
    targets = List.copyOf(targets);
  }

  /** One target of a model entry. */
  public record TargetConfig(String provider, String model, int weight) {}
}
