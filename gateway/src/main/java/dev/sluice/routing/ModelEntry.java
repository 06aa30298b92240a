package dev.sluice.routing;

import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import java.util.List;

/**
 * A model name clients may send, the targets that serve it (in config order), and what to do with
 * parameters a target cannot carry; {@code routing} orders the targets (null: the router's default);
 * {@code sticky}: whether a conversation's key (see {@link StickyKey}) keeps it on one target.
 */
public record ModelEntry(String name, List<Target> targets, ParamPolicy unsupportedParams, RoutingPolicy routing,
    boolean sticky) {
  public ModelEntry(String name, List<Target> targets, ParamPolicy unsupportedParams) {
    this(name, targets, unsupportedParams, null);
  }

  public ModelEntry(String name, List<Target> targets, ParamPolicy unsupportedParams, RoutingPolicy routing) {
    this(name, targets, unsupportedParams, routing, true);
  }

  public ModelEntry {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no targets");
    }
  }
}
