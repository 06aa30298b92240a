package dev.sluice.routing;

import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import java.util.List;

/** Where one request may go: targets best first, and the model's unsupported-parameter policy. */
public record Route(List<Target> targets, ParamPolicy unsupportedParams) {
  public Route {
    targets = List.copyOf(targets);
  }
}
