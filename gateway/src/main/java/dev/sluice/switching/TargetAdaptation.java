package dev.sluice.switching;

import dev.sluice.core.ChatRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one target changes in a request, compiled at load: its family's rules, its family's
 * reasoning mapping, then its own rules (they win, coming last), then its system prompt. Immutable,
 * thread-safe; {@link #apply} runs per candidate per request and allocates nothing when the request
 * has none of the parameters the rules act on.
 */
public final class TargetAdaptation {
  static final TargetAdaptation NONE = new TargetAdaptation(null, List.of(), null, 0);

  private final ModelFamily family;
  private final List<ParamRule> own;
  private final PromptRule prompt;
  private final int defaultMaxTokens;
  /** Parameters whose presence can trigger a change; null when a rule adds a parameter (set, default). */
  private final Set<String> triggers;

  TargetAdaptation(ModelFamily family, List<ParamRule> own, PromptRule prompt, int defaultMaxTokens) {
    this.family = family;
    this.own = List.copyOf(own);
    this.prompt = prompt;
    this.defaultMaxTokens = defaultMaxTokens;
    this.triggers = triggers(family, this.own);
  }

  private static Set<String> triggers(ModelFamily family, List<ParamRule> own) {
    Set<String> out = new HashSet<>();
    List<ParamRule> all = new java.util.ArrayList<>(own);
    if (family != null) {
      all.addAll(family.rules());
      if (family.reasoning() != null) {
        out.add(ReasoningMapper.EFFORT);
        out.add(ReasoningMapper.THINKING);
      }
    }
    for (ParamRule r : all) {
      if (r.kind() == ParamRule.Kind.SET || r.kind() == ParamRule.Kind.DEFAULT) {
        return null;
      }
      out.add(r.param());
    }
    return Set.copyOf(out);
  }

  /** The family this target belongs to, or null. */
  public String familyName() {
    return family == null ? null : family.name();
  }

  /** The request as this target gets it; {@code request} itself is never changed. */
  public Adapted apply(ChatRequest request, RequestFacts facts) {
    if (prompt == null && triggers != null && !anyPresent(request)) {
      return Adapted.unchanged(request);
    }
    WorkingRequest w = new WorkingRequest(request.body());
    if (family != null) {
      for (ParamRule r : family.rules()) {
        RuleApplier.apply(r, w);
      }
      if (family.reasoning() != null) {
        ReasoningMapper.apply(family.reasoning(), w, defaultMaxTokens);
      }
    }
    for (ParamRule r : own) {
      RuleApplier.apply(r, w);
    }
    if (prompt != null) {
      prompt.apply(w, facts);
    }
    return w.anyChange() ? new Adapted(request.withBody(w.build()), w.changes()) : Adapted.unchanged(request);
  }

  private boolean anyPresent(ChatRequest request) {
    var b = request.body();
    for (String p : triggers) {
      boolean present = switch (p) {
        case "max_tokens" -> b.maxTokens() != null;
        case "max_completion_tokens" -> b.maxCompletionTokens() != null;
        case "temperature" -> b.temperature() != null;
        case "top_p" -> b.topP() != null;
        case "n" -> b.n() != null;
        case "stop" -> b.stop() != null;
        case "parallel_tool_calls" -> b.parallelToolCalls() != null;
        case "user" -> b.user() != null;
        default -> b.extra().containsKey(p);
      };
      if (present) {
        return true;
      }
    }
    return false;
  }
}
