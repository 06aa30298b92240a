package dev.sluice.server;

import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Feature;
import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import dev.sluice.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Picks the target of one request: the first routed target able to serve everything the request
 * uses (tools, images, JSON mode, streaming), then applies the model's policy to parameters that
 * target's API cannot carry (drop them, or refuse the request naming them).
 *
 * @param request the request as it will be encoded (without dropped parameters)
 * @param dropped the parameters removed, for {@code x-sluice-dropped-params}; empty when none
 */
record TargetChoice(Target target, ProviderRuntime provider, ChatRequest request, List<String> dropped) {

  /** @throws FrontDoor.FrontDoorException a 400 when no target can serve the request as sent */
  static TargetChoice choose(Route route, ChatRequest request, Providers providers) {
    Set<Feature> needs = Feature.neededBy(request);
    List<String> lacking = new ArrayList<>();
    for (Target t : route.targets()) {
      ProviderRuntime p = providers.get(t.provider());
      Feature missing = needs.stream()
          .filter(f -> !p.adapter().capabilities().supports(f) || t.disabled().contains(f)).findFirst().orElse(null);
      if (missing == null) {
        return applyParamPolicy(t, p, request, route.unsupportedParams());
      }
      lacking.add(t.label() + " lacks " + missing.description());
    }
    Feature first = needs.stream().filter(f -> lacking.stream().anyMatch(l -> l.endsWith(f.description())))
        .findFirst().orElse(Feature.TOOLS);
    throw new FrontDoor.FrontDoorException(ApiError.invalidRequest(paramOf(first),
        "No target of model '" + request.model() + "' can serve this request: " + String.join("; ", lacking)));
  }

  private static TargetChoice applyParamPolicy(Target t, ProviderRuntime p, ChatRequest request, ParamPolicy policy) {
    Set<String> unsupported = p.adapter().unsupportedParams(request);
    if (unsupported.isEmpty()) {
      return new TargetChoice(t, p, request, List.of());
    }
    List<String> names = unsupported.stream().sorted().toList();
    if (policy == ParamPolicy.REJECT) {
      throw new FrontDoor.FrontDoorException(ApiError.invalidRequest(names.get(0),
          "Parameter" + (names.size() > 1 ? "s " : " ") + String.join(", ", names) + " not supported by target "
              + t.label() + " (this model's unsupported_params policy is reject)"));
    }
    return new TargetChoice(t, p, request.without(unsupported), names);
  }

  private static String paramOf(Feature f) {
    return switch (f) {
      case STREAMING -> "stream";
      case TOOLS -> "tools";
      case VISION -> "messages";
      case JSON_MODE -> "response_format";
    };
  }
}
