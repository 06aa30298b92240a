package dev.sluice.switching;

import java.util.Map;

/**
 * How a model family takes a reasoning request (see {@link ReasoningMapper} for the mapping).
 *
 * @param budgets token budget per effort level ({@code none}, {@code minimal}, {@code low},
 *     {@code medium}, {@code high}) for the budget styles
 * @param levels level per effort for {@link Kind#GEMINI_LEVEL}
 * @param min the smallest budget the family accepts (0: none)
 * @param max the largest budget the family accepts (0: no bound)
 */
record ReasoningStyle(Kind kind, Map<String, Integer> budgets, Map<String, String> levels, int min, int max) {
  enum Kind {
    /** OpenAI's {@code reasoning_effort}. */
    OPENAI_EFFORT,
    /** Anthropic's {@code thinking: {type: enabled, budget_tokens}}. */
    ANTHROPIC_THINKING,
    /** Gemini 2.5's {@code thinkingConfig.thinkingBudget}. */
    GEMINI_BUDGET,
    /** Gemini 3's {@code thinkingConfig.thinkingLevel}. */
    GEMINI_LEVEL,
    /** The model does not reason: reasoning parameters are not sent. */
    DROP
  }

  ReasoningStyle {
    budgets = Map.copyOf(budgets);
    levels = Map.copyOf(levels);
  }

  /** The budget of an effort level; an unknown level counts as {@code medium}. */
  int budget(String effort) {
    Integer b = budgets.get(effort);
    if (b == null) {
      b = budgets.getOrDefault("medium", 8192);
    }
    return b;
  }

  String level(String effort) {
    String l = levels.get(effort);
    return l != null ? l : levels.getOrDefault("high", "high");
  }

  int clampBudget(int b) {
    int out = Math.max(b, min);
    return max > 0 ? Math.min(out, max) : out;
  }
}
