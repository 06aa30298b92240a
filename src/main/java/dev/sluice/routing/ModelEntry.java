package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;

/** A model name clients may send and the targets that serve it, in config order. */
public record ModelEntry(String name, List<Target> targets) {
  public ModelEntry {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no targets");
    }
  }
}
