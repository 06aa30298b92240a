package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How one target adapts the request before it is encoded: its system prompt and its parameter
 * rules (applied after the built-in rules of the target's model family). {@link #NONE}: nothing of its own.
 *
 * @param systemPrompt null: the client's system prompt as sent
 * @param params the target's parameter rules, in config order
 */
public record AdaptationConfig(PromptEdit systemPrompt, List<ParamEdit> params) {
  public static final AdaptationConfig NONE = new AdaptationConfig(null, List.of());

  public AdaptationConfig {
    params = List.copyOf(params);
  }

  /**
   * {@code system_prompt: { prepend | append | replace: text }}, its {@code {{variables}}} already
   * found (and checked) at load.
   *
   * @param mode {@code prepend}, {@code append} or {@code replace}
   * @param text the template as written
   * @param parts the template split: even indexes are literal text, odd ones variable names
   */
  public record PromptEdit(String mode, String text, @JsonIgnore List<String> parts) {
    public PromptEdit {
      parts = List.copyOf(parts);
    }
  }

  /**
   * One item of {@code params}, checked at load.
   *
   * @param op {@code rename}, {@code set}, {@code default}, {@code clamp} or {@code drop}
   * @param param the top-level request parameter it acts on
   * @param to the new name ({@code rename})
   * @param value the value ({@code set}, {@code default})
   * @param min lower bound ({@code clamp}); null: none
   * @param max upper bound ({@code clamp}); null: none
   */
  public record ParamEdit(String op, String param, String to, JsonNode value, Double min, Double max) {}
}
