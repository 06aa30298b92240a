package dev.sluice.routing;

import dev.sluice.core.Target;
import java.util.List;

/** See {@link RoutingPolicy#priority}. */
enum PriorityPolicy implements RoutingPolicy {
  INSTANCE;

  @Override
  public List<Target> order(List<Target> eligible, RoutingSignals signals) {
    return eligible;
  }
}
