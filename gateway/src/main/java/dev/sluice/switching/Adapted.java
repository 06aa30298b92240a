package dev.sluice.switching;

import dev.sluice.core.ChatRequest;
import java.util.List;

/**
 * A request as one target will receive it, and what was changed for it, in the order applied, as
 * {@code x-sluice-adapted-params} lists them.
 */
public record Adapted(ChatRequest request, List<String> changes) {
  public Adapted {
    changes = List.copyOf(changes);
  }

  static Adapted unchanged(ChatRequest request) {
    return new Adapted(request, List.of());
  }
}
