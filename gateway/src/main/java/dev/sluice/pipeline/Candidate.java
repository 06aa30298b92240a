package dev.sluice.pipeline;

import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Feature;
import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import dev.sluice.routing.Route;
import dev.sluice.switching.Adaptations;
import dev.sluice.switching.Adapted;
import dev.sluice.switching.RequestFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A target able to serve one request, with the request as that target will receive it: adapted to
 * the target (its family's and its own rules, its system prompt), then the model's policy for
 * parameters the target's API cannot carry applied.
 *
 * @param dropped the parameters removed for this target, for {@code x-sluice-dropped-params}
 * @param adapted what adaptation changed for this target, for {@code x-sluice-adapted-params}
 */
record Candidate(Target target, ProviderRuntime provider, ChatRequest request, List<String> dropped,
    List<String> adapted) {

  /**
   * The routed targets that can serve everything the request uses (tools, images, JSON mode,
   * streaming), in route order.
   *
   * @throws FrontDoor.FrontDoorException a 400 when none can, or when the first capable target
   *     cannot carry a parameter and the model's policy is to reject
   */
  static List<Candidate> forRoute(Route route, ChatRequest request, Providers providers, Adaptations adaptations,
      RequestFacts facts) {
    Set<Feature> needs = Feature.neededBy(request);
    List<String> lacking = null; // only built when a target falls short (rare): this runs per request
    List<Candidate> out = new ArrayList<>(route.targets().size());
    Feature firstMissing = null;
    for (Target t : route.targets()) {
      ProviderRuntime p = providers.get(t.provider());
      Feature missing = firstMissing(needs, p, t);
      if (missing != null) {
        if (lacking == null) {
          lacking = new ArrayList<>();
        }
        lacking.add(t.label() + " lacks " + missing.description());
        firstMissing = firstMissing == null ? missing : firstMissing;
        continue;
      }
      // Each target gets its own adapted copy; the canonical request stays as parsed.
      Adapted adapted = adaptations.adapt(t, request, facts);
      ChatRequest forTarget = adapted.request();
      Set<String> unsupported = p.adapter().unsupportedParams(forTarget);
      if (unsupported.isEmpty()) {
        out.add(new Candidate(t, p, forTarget, List.of(), adapted.changes()));
      } else if (route.unsupportedParams() == ParamPolicy.DROP) {
        out.add(new Candidate(t, p, forTarget.without(unsupported), unsupported.stream().sorted().toList(),
            adapted.changes()));
      } else if (out.isEmpty()) {
        List<String> names = unsupported.stream().sorted().toList();
        throw new FrontDoor.FrontDoorException(ApiError.invalidRequest(names.get(0),
            "Parameter" + (names.size() > 1 ? "s " : " ") + String.join(", ", names) + " not supported by target "
                + t.label() + " (this model's unsupported_params policy is reject)"));
      }
      // With the reject policy, a later target that cannot carry the parameters is left out.
    }
    if (out.isEmpty() && firstMissing == Feature.NATIVE_RESPONSES) {
      throw nativeOnly(request, route);
    }
    if (out.isEmpty()) {
      throw new FrontDoor.FrontDoorException(ApiError.invalidRequest(paramOf(firstMissing),
          "No target of model '" + request.model() + "' can serve this request: "
              + (lacking == null ? "" : String.join("; ", lacking))));
    }
    return out;
  }

  /**
   * The 400 for a Responses request that only OpenAI can serve when the model routes elsewhere:
   * names the field ("previous_response_id needs an OpenAI target; model 'x' routes to claude/...").
   */
  private static FrontDoor.FrontDoorException nativeOnly(ChatRequest request, Route route) {
    String feature = request.responses().feature();
    int cut = feature.indexOf('=');
    String param = cut < 0 ? feature : feature.substring(0, cut);
    List<String> labels = route.targets().stream().map(Target::label).toList();
    return new FrontDoor.FrontDoorException(ApiError.invalidRequest(param, feature
        + " needs an OpenAI target (provider type openai); model '" + request.model() + "' routes to "
        + String.join(", ", labels)));
  }

  /** The first feature of {@code needs} that {@code t} cannot serve, or null (a loop: no stream per target). */
  private static Feature firstMissing(Set<Feature> needs, ProviderRuntime p, Target t) {
    if (needs.isEmpty()) {
      return null;
    }
    for (Feature f : needs) {
      if (!p.adapter().capabilities().supports(f) || t.disabled().contains(f)) {
        return f;
      }
    }
    return null;
  }

  private static String paramOf(Feature f) {
    if (f == null) {
      return null;
    }
    return switch (f) {
      case STREAMING -> "stream";
      case TOOLS -> "tools";
      case VISION -> "messages";
      case JSON_MODE -> "response_format";
      case NATIVE_RESPONSES -> null; // named by the request's own feature (nativeOnly)
    };
  }

  /**
   * What adaptation changed for this candidate, for {@code x-sluice-adapted-params}: the switching
   * rules' changes, then what its provider's encoder rewrote in tools, tool-call ids and schemas (and
   * the cache breakpoints an {@code auto_cache} target placed). It re-runs that translation when the
   * request has tools, a schema or tool messages, or the target auto-caches: ask it of the winner only.
   */
  /** A plain loop: asked on every answer, where a stream pipeline was a few objects per request. */
  private static boolean hasToolMessages(List<dev.sluice.api.openai.ChatMessage> messages) {
    for (int i = 0; i < messages.size(); i++) {
      dev.sluice.api.openai.ChatMessage m = messages.get(i);
      if ("tool".equals(m.role()) || m.toolCalls() != null) {
        return true;
      }
    }
    return false;
  }

  List<String> adaptedParams() {
    var body = request.body();
    boolean toolish = body.tools() != null || body.responseFormat() != null || target.autoCache()
        || hasToolMessages(body.messages());
    if (!toolish || !(provider.adapter() instanceof dev.sluice.provider.ToolAdaptations tools)) {
      return adapted;
    }
    List<String> rewritten;
    try {
      rewritten = tools.toolAdaptations(request, target);
    } catch (dev.sluice.api.openai.WireFormatException e) {
      return adapted; // encode already accepted this request: not reached in practice
    }
    if (rewritten.isEmpty()) {
      return adapted;
    }
    List<String> all = new ArrayList<>(adapted);
    all.addAll(rewritten);
    return all;
  }
}
