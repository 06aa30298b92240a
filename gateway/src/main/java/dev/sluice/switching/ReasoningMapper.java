package dev.sluice.switching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/**
 * Maps what a request asks of reasoning to what the target's family takes. A request asks in one of
 * two ways: OpenAI's {@code reasoning_effort} ({@code none|minimal|low|medium|high}) or Anthropic's
 * {@code thinking} ({@code {type: enabled, budget_tokens: N}}, {@code disabled}, {@code adaptive}).
 * The target gets {@code reasoning_effort} (OpenAI), {@code thinking} (Anthropic) or
 * {@code thinking_config} ({@code thinking_budget} or {@code thinking_level}, which the Gemini
 * encoder sends as {@code generationConfig.thinkingConfig}). Budgets per effort come from the family
 * catalog; a budget becomes an effort by {@link #effortFor}.
 */
final class ReasoningMapper {
  static final String EFFORT = "reasoning_effort";
  static final String THINKING = "thinking";
  static final String THINKING_CONFIG = "thinking_config";
  /** Anthropic's max_tokens when neither the client nor the target config gave one (the adapter's default). */
  static final int ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ReasoningMapper() {}

  /** What the request asks: an effort, a budget, off, or adaptive. */
  private record Ask(String effort, Integer budget, boolean off, boolean adaptive) {}

  /** The effort of an Anthropic budget: up to 1024 low, up to 8192 medium, above that high. */
  static String effortFor(int budget) {
    return budget <= 1024 ? "low" : budget <= 8192 ? "medium" : "high";
  }

  static void apply(ReasoningStyle style, WorkingRequest w, int targetMaxTokens) {
    JsonNode effortNode = w.get(EFFORT);
    JsonNode thinking = w.get(THINKING);
    if (effortNode == null && thinking == null) {
      return;
    }
    Ask ask = ask(effortNode, thinking);
    switch (style.kind()) {
      case OPENAI_EFFORT -> toOpenAi(w, ask, effortNode != null, thinking != null);
      case ANTHROPIC_THINKING -> toAnthropic(style, w, ask, thinking, targetMaxTokens);
      case GEMINI_BUDGET, GEMINI_LEVEL -> toGemini(style, w, ask, effortNode != null);
      case DROP -> {
        drop(w, EFFORT);
        drop(w, THINKING);
      }
      default -> throw new IllegalStateException("unknown reasoning style " + style.kind());
    }
  }

  private static Ask ask(JsonNode effort, JsonNode thinking) {
    if (effort != null && effort.isTextual()) {
      String e = effort.textValue().toLowerCase(Locale.ROOT);
      return new Ask(e, null, e.equals("none"), false);
    }
    if (thinking != null && thinking.isObject()) {
      String type = thinking.path("type").asText("");
      if (type.equals("disabled")) {
        return new Ask(null, null, true, false);
      }
      if (type.equals("enabled") && thinking.path("budget_tokens").isIntegralNumber()) {
        return new Ask(null, thinking.get("budget_tokens").intValue(), false, false);
      }
      return new Ask(null, null, false, true);
    }
    return new Ask(null, null, false, true);
  }

  private static void toOpenAi(WorkingRequest w, Ask ask, boolean hasEffort, boolean hasThinking) {
    if (hasEffort) {
      drop(w, THINKING);
      return;
    }
    if (ask.budget() != null && hasThinking) {
      String effort = effortFor(ask.budget());
      w.put(THINKING, null);
      w.put(EFFORT, TextNode.valueOf(effort));
      w.changed("thinking.budget_tokens->reasoning_effort=" + effort);
      return;
    }
    drop(w, THINKING); // disabled or adaptive: the model's default
  }

  private static void toAnthropic(ReasoningStyle style, WorkingRequest w, Ask ask, JsonNode thinking,
      int targetMaxTokens) {
    int budget;
    if (thinking != null) {
      drop(w, EFFORT); // the client's own thinking object wins
      if (ask.budget() == null) {
        return; // disabled or adaptive: Anthropic's own, as sent
      }
      budget = ask.budget();
      if (budget < style.min()) {
        budget = style.min();
        w.put(THINKING, thinking(budget));
        w.changed("thinking.budget_tokens=" + budget);
      }
    } else {
      w.put(EFFORT, null);
      if (ask.off()) {
        w.changed("-" + EFFORT);
        return;
      }
      budget = style.clampBudget(style.budget(ask.effort()));
      w.put(THINKING, thinking(budget));
      w.changed("reasoning_effort->thinking.budget_tokens=" + budget);
    }
    thinkingConstraints(w, budget, targetMaxTokens);
  }

  /**
   * What thinking requires of the rest of an Anthropic request: {@code max_tokens} above the budget
   * (raised to budget + what the answer would have had), no {@code temperature} other than 1, no
   * {@code top_k}, {@code top_p} at least 0.95.
   */
  private static void thinkingConstraints(WorkingRequest w, int budget, int targetMaxTokens) {
    Integer max = w.maxTokensOut();
    int answer = max != null ? max : targetMaxTokens > 0 ? targetMaxTokens : ANTHROPIC_DEFAULT_MAX_TOKENS;
    if (answer <= budget) {
      String field = w.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
      w.put(field, IntNode.valueOf(budget + answer));
      w.changed(field + "=" + (budget + answer));
    }
    JsonNode t = w.get("temperature");
    if (t != null && t.doubleValue() != 1.0) {
      drop(w, "temperature");
    }
    drop(w, "top_k");
    JsonNode p = w.get("top_p");
    if (p != null && p.doubleValue() < 0.95) {
      w.put("top_p", DoubleNode.valueOf(0.95));
      w.changed("top_p=0.95");
    }
  }

  private static void toGemini(ReasoningStyle style, WorkingRequest w, Ask ask, boolean hasEffort) {
    boolean clientConfig = w.has(THINKING_CONFIG);
    String from = hasEffort ? EFFORT : ask.budget() != null ? "thinking.budget_tokens" : THINKING;
    w.put(EFFORT, null);
    w.put(THINKING, null);
    if (clientConfig || (ask.adaptive() && style.kind() == ReasoningStyle.Kind.GEMINI_LEVEL)) {
      w.changed("-" + from); // the client's own thinking_config wins; adaptive is the model's default
      return;
    }
    ObjectNode config = F.objectNode();
    String change;
    if (style.kind() == ReasoningStyle.Kind.GEMINI_BUDGET) {
      int budget = ask.adaptive() ? -1 : ask.off() ? style.budget("none")
          : ask.budget() != null ? style.clampBudget(ask.budget()) : style.budget(ask.effort());
      config.put("thinking_budget", budget);
      change = from + "->thinking_config.thinking_budget=" + budget;
    } else {
      String effort = ask.off() ? "none" : ask.budget() != null ? effortFor(ask.budget()) : ask.effort();
      String level = style.level(effort);
      config.put("thinking_level", level);
      change = from + "->thinking_config.thinking_level=" + level;
    }
    w.put(THINKING_CONFIG, config);
    w.changed(change);
  }

  private static ObjectNode thinking(int budget) {
    return F.objectNode().put("type", "enabled").put("budget_tokens", budget);
  }

  private static void drop(WorkingRequest w, String name) {
    if (w.has(name)) {
      w.put(name, null);
      w.changed("-" + name);
    }
  }
}
