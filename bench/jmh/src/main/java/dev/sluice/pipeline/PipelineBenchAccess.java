package dev.sluice.pipeline;

import dev.sluice.core.ChatRequest;
import dev.sluice.core.ParamPolicy;
import dev.sluice.core.Target;
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.routing.Route;
import java.util.List;

/** Reaches the package-private candidate step of the pipeline for {@code RequestBench} (same package name). */
public final class PipelineBenchAccess {
  private PipelineBenchAccess() {}

  /** Candidates over {@code targets}, all served by OpenAI-compatible providers without clients. */
  public static Object candidates(List<Target> targets, ChatRequest request) {
    return Candidate.forRoute(new Route(targets, ParamPolicy.DROP), request, PROVIDERS.get(targets),
        dev.sluice.switching.Adaptations.none(), new dev.sluice.switching.RequestFacts("bench", null, request.model()));
  }

  private static final class PROVIDERS {
    private static Providers cached;

    static Providers get(List<Target> targets) {
      if (cached == null) {
        cached = new Providers(targets.stream().map(Target::provider).distinct()
            .map(n -> new ProviderRuntime(n, OpenAiAdapter.instance(), null, null)).toList());
      }
      return cached;
    }
  }
}
