package dev.sluice.server;

import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Target;
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.routing.Route;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Reaches the package-private server steps of a non-streamed request for {@code RequestBench}
 * (same package name, same class loader: the benchmark jar sits next to sluice.jar on the class path).
 */
public final class ServerBenchAccess {
  private ServerBenchAccess() {}

  public static ChatRequest parse(Buffer body) {
    return OpenAiFrontDoor.INSTANCE.parse(body);
  }

  public static Buffer encodeResponse(ChatRequest request, ChatResponse response) {
    return OpenAiFrontDoor.INSTANCE.encodeResponse(request, response);
  }

  public static String keyDigest(String presented) {
    return ClientAuth.sha256Hex(presented);
  }

  /** Candidates over {@code targets}, all served by OpenAI-compatible providers without clients. */
  public static Object candidates(List<Target> targets, ChatRequest request) {
    return Candidate.forRoute(new Route(targets, dev.sluice.core.ParamPolicy.DROP), request, PROVIDERS.get(targets));
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
