package dev.sluice.pipeline;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The configured providers by name. Immutable after start. */
final class Providers {
  private final Map<String, ProviderRuntime> byName;

  Providers(List<ProviderRuntime> runtimes) {
    this.byName = runtimes.stream().collect(Collectors.toUnmodifiableMap(ProviderRuntime::name, Function.identity()));
  }

  /** The provider; routing only yields configured names, so absence is a bug. */
  ProviderRuntime get(String name) {
    ProviderRuntime p = byName.get(name);
    if (p == null) {
      throw new IllegalStateException("routing produced an unknown provider " + name);
    }
    return p;
  }

  java.util.Collection<ProviderRuntime> all() {
    return byName.values();
  }

  Set<String> names() {
    return byName.keySet();
  }

  Future<Void> close() {
    return Future.join(byName.values().stream().map(p -> p.client().close()).toList()).mapEmpty();
  }
}
