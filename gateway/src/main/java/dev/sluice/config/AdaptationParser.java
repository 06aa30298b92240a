package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A target's {@code system_prompt} and {@code params}. Everything is checked here, so that a rule the
 * request path applies can never fail: a bad rule is a config problem naming its path.
 */
final class AdaptationParser {
  static final Set<String> TARGET_KEYS = Set.of("system_prompt", "params");
  private static final Set<String> PROMPT_MODES = Set.of("prepend", "append", "replace");
  private static final Set<String> OPS = Set.of("rename", "set", "default", "clamp", "drop");
  /** Parameters a rule may not touch: they are the request itself, not a knob of the model. */
  static final Set<String> RESERVED = Set.of("model", "messages", "stream", "stream_options", "tools", "tool_choice",
      "response_format");
  private static final Set<String> NUMBERS = Set.of("temperature", "top_p", "presence_penalty", "frequency_penalty");
  private static final Set<String> INTEGERS = Set.of("max_tokens", "max_completion_tokens", "n", "seed", "top_k");

  private AdaptationParser() {
  }

  static AdaptationConfig parse(ConfigNode target) {
    AdaptationConfig.PromptEdit prompt = prompt(target);
    List<AdaptationConfig.ParamEdit> params = new ArrayList<>();
    for (ConfigNode rule : target.list("params")) {
      AdaptationConfig.ParamEdit edit = rule(rule);
      if (edit != null) {
        params.add(edit);
      }
    }
    return prompt == null && params.isEmpty() ? AdaptationConfig.NONE : new AdaptationConfig(prompt, params);
  }

  private static AdaptationConfig.PromptEdit prompt(ConfigNode target) {
    ConfigNode p = target.object("system_prompt");
    if (p == null) {
      return null;
    }
    p.allowOnly(PROMPT_MODES);
    List<String> modes = PROMPT_MODES.stream().filter(p::has).sorted().toList();
    if (modes.size() != 1) {
      p.problem(null, "must have exactly one of prepend, append, replace");
      return null;
    }
    String mode = modes.get(0);
    String text = p.string(mode, null);
    if (text == null) {
      p.problem(mode, "must be a text");
      return null;
    }
    List<String> parts = template(text);
    if (parts == null) {
      p.problem(mode, "has a placeholder that is not a plain {{name}} variable (names are letters, digits, _ . -;"
          + " templates are logic-less: no expressions, sections, filters or unclosed {{)");
      return null;
    }
    return new AdaptationConfig.PromptEdit(mode, text, parts);
  }

  /**
   * Splits a template into literal text (even indexes) and variable names (odd indexes); null when a
   * {@code {{...}}} holds anything but one name, or is not closed. Nothing is evaluated: the request
   * path only concatenates these parts with the variables' values.
   */
  static List<String> template(String text) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    while (true) {
      int open = text.indexOf("{{", from);
      if (open < 0) {
        parts.add(text.substring(from));
        return parts;
      }
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        return null;
      }
      String name = text.substring(open + 2, close).trim();
      if (!isName(name)) {
        return null;
      }
      parts.add(text.substring(from, open));
      parts.add(name);
      from = close + 2;
    }
  }

  private static boolean isName(String s) {
    if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
        return false;
      }
    }
    return s.chars().allMatch(c -> c < 128);
  }

  private static AdaptationConfig.ParamEdit rule(ConfigNode r) {
    List<String> ops = OPS.stream().filter(r::has).sorted().toList();
    if (ops.size() != 1) {
      r.problem(null, "must have exactly one of rename, set, default, clamp, drop");
      return null;
    }
    String op = ops.get(0);
    r.allowOnly(switch (op) {
      case "rename" -> Set.of("rename", "to");
      case "set", "default" -> Set.of(op, "value");
      case "clamp" -> Set.of("clamp", "min", "max");
      default -> Set.of("drop");
    });
    String param = paramName(r, op);
    if (param == null) {
      return null;
    }
    return switch (op) {
      case "rename" -> {
        String to = paramName(r, "to");
        if (to != null && to.equals(param)) {
          r.problem("to", "must differ from the parameter renamed");
          yield null;
        }
        yield to == null ? null : new AdaptationConfig.ParamEdit(op, param, to, null, null, null);
      }
      case "set", "default" -> {
        JsonNode value = r.raw("value");
        if (value == null) {
          r.problem("value", "is required");
          yield null;
        }
        String wrong = typeProblem(param, value);
        if (wrong != null) {
          r.problem("value", wrong);
          yield null;
        }
        yield new AdaptationConfig.ParamEdit(op, param, null, value, null, null);
      }
      case "clamp" -> {
        Double min = number(r, "min");
        Double max = number(r, "max");
        if (!r.has("min") && !r.has("max")) {
          r.problem(null, "clamp needs min, max or both");
          yield null;
        }
        if (min != null && max != null && min > max) {
          r.problem("min", "must not be above max");
          yield null;
        }
        if (!NUMBERS.contains(param) && !INTEGERS.contains(param) && isTypedNonNumber(param)) {
          r.problem("clamp", "'" + param + "' is not a number");
          yield null;
        }
        yield new AdaptationConfig.ParamEdit(op, param, null, null, min, max);
      }
      default -> new AdaptationConfig.ParamEdit(op, param, null, null, null, null);
    };
  }

  private static String paramName(ConfigNode r, String key) {
    String name = r.string(key, null);
    if (name == null || name.isBlank()) {
      r.problem(key, "must name a request parameter");
      return null;
    }
    name = name.trim();
    if (!name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'))) {
      r.problem(key, "must be a parameter name (letters, digits, _ - .)");
      return null;
    }
    if (RESERVED.contains(name)) {
      r.problem(key, "'" + name + "' cannot be adapted (rules may not touch " + String.join(", ",
          RESERVED.stream().sorted().toList()) + ")");
      return null;
    }
    return name;
  }

  private static Double number(ConfigNode r, String key) {
    JsonNode v = r.raw(key);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      r.problem(key, "must be a number");
      return null;
    }
    return v.doubleValue();
  }

  private static boolean isTypedNonNumber(String param) {
    return Set.of("user", "stop", "parallel_tool_calls", "reasoning_effort", "thinking", "metadata").contains(param);
  }

  /** Why {@code value} cannot be the value of {@code param}, or null when it can. */
  private static String typeProblem(String param, JsonNode value) {
    if (NUMBERS.contains(param) && !value.isNumber()) {
      return "must be a number for " + param;
    }
    if (INTEGERS.contains(param) && !(value.isIntegralNumber() && value.canConvertToInt())) {
      return "must be an integer for " + param;
    }
    if (param.equals("parallel_tool_calls") && !value.isBoolean()) {
      return "must be true or false for " + param;
    }
    if (param.equals("user") && !value.isTextual()) {
      return "must be a text for " + param;
    }
    if (param.equals("stop") && !value.isTextual() && !(value.isArray() && allText(value))) {
      return "must be a text or a list of texts for " + param;
    }
    if (param.equals("reasoning_effort") && !value.isTextual()) {
      return "must be a text for " + param;
    }
    return null;
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode v : array) {
      if (!v.isTextual()) {
        return false;
      }
    }
    return true;
  }
}
