package dev.sluice.pipeline;

import dev.sluice.config.AdaptationConfig;
import dev.sluice.config.ProviderConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Target;
import dev.sluice.switching.Adaptations;
import dev.sluice.switching.FamilyCatalog;
import dev.sluice.switching.ParamRule;
import dev.sluice.switching.PromptRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The config's per-target adaptation → {@code switching}'s rules, over the bundled model families. */
final class AdaptationWiring {
  private AdaptationWiring() {}

  static Adaptations.Builder builder(SluiceConfig config) {
    Map<String, String> types = new HashMap<>();
    for (ProviderConfig p : config.providers()) {
      types.put(p.name(), p.type().wireName());
    }
    return Adaptations.builder(FamilyCatalog.bundled(), types);
  }

  static void add(Adaptations.Builder builder, Target target, AdaptationConfig a) {
    AdaptationConfig config = a == null ? AdaptationConfig.NONE : a;
    List<ParamRule> rules = config.params().stream()
        .map(e -> ParamRule.of(e.op(), e.param(), e.to(), e.value(), e.min(), e.max())).toList();
    PromptRule prompt = config.systemPrompt() == null ? null
        : PromptRule.of(config.systemPrompt().mode(), config.systemPrompt().parts());
    builder.target(target, rules, prompt);
  }
}
