package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A target's system_prompt and params: parsed into checked rules, or problems naming their path. */
class AdaptationConfigTest {

  private static String config(String target) {
    return """
        providers: [ { name: oa, type: openai, api_key: sk-x } ]
        models:
          - name: m
            targets:
              - { provider: oa, model: gpt-4o, %s }
        """.formatted(target);
  }

  private static AdaptationConfig parse(String target) {
    return new ConfigLoader(Map.<String, String>of()::get).parse(config(target), "t.yaml").models().get(0).targets()
        .get(0).adaptation();
  }

  private static List<String> problems(String target) {
    try {
      new ConfigLoader(Map.<String, String>of()::get).parse(config(target), "t.yaml");
    } catch (ConfigException e) {
      return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
    throw new AssertionError("expected the config to be rejected");
  }

  @Test
  void aTargetWithoutAdaptationHasNone() {
    assertThat(parse("weight: 1")).isEqualTo(AdaptationConfig.NONE);
  }

  @Test
  void systemPromptAndRulesAreParsedInOrder() {
    AdaptationConfig a = parse("""
        system_prompt: { prepend: "You serve {{team}} ({{ key_name }})." },
        params: [ { rename: max_tokens, to: max_completion_tokens }, { set: temperature, value: 1 },
                  { clamp: top_p, min: 0, max: 0.5 }, { drop: logit_bias }, { default: seed, value: 7 } ]""");
    assertThat(a.systemPrompt().mode()).isEqualTo("prepend");
    assertThat(a.systemPrompt().parts()).containsExactly("You serve ", "team", " (", "key_name", ").");
    assertThat(a.params()).extracting(AdaptationConfig.ParamEdit::op)
        .containsExactly("rename", "set", "clamp", "drop", "default");
    assertThat(a.params().get(0).to()).isEqualTo("max_completion_tokens");
    assertThat(a.params().get(1).value().intValue()).isEqualTo(1);
    assertThat(a.params().get(2).max()).isEqualTo(0.5);
  }

  @Test
  void templatesAreLogicLessOnly() {
    assertThat(problems("system_prompt: { append: \"{{#if admin}}x{{/if}}\" }"))
        .containsExactly("models[0].targets[0].system_prompt.append: has a placeholder that is not a plain {{name}}"
            + " variable (names are letters, digits, _ . -; templates are logic-less: no expressions, sections,"
            + " filters or unclosed {{)");
    assertThat(problems("system_prompt: { append: \"{{ a + b }}\" }")).hasSize(1);
    assertThat(problems("system_prompt: { append: \"{{ team | upper }}\" }")).hasSize(1);
    assertThat(problems("system_prompt: { append: \"hello {{team\" }")).hasSize(1);
  }

  @Test
  void aSystemPromptNeedsExactlyOneMode() {
    assertThat(problems("system_prompt: { prepend: a, append: b }"))
        .contains("models[0].targets[0].system_prompt: must have exactly one of prepend, append, replace");
    assertThat(problems("system_prompt: { insert: a }")).anyMatch(p -> p.contains("system_prompt.insert: unknown key"));
  }

  @Test
  void badRulesAreProblemsWithTheirPath() {
    assertThat(problems("params: [ { rename: max_tokens } ]"))
        .containsExactly("models[0].targets[0].params[0].to: must name a request parameter");
    assertThat(problems("params: [ { set: temperature, value: hot } ]"))
        .containsExactly("models[0].targets[0].params[0].value: must be a number for temperature");
    assertThat(problems("params: [ { set: max_tokens, value: 1.5 } ]"))
        .containsExactly("models[0].targets[0].params[0].value: must be an integer for max_tokens");
    assertThat(problems("params: [ { clamp: temperature, min: 2, max: 1 } ]"))
        .containsExactly("models[0].targets[0].params[0].min: must not be above max");
    assertThat(problems("params: [ { clamp: temperature } ]"))
        .containsExactly("models[0].targets[0].params[0]: clamp needs min, max or both");
    assertThat(problems("params: [ { drop: messages } ]")).singleElement().asString()
        .startsWith("models[0].targets[0].params[0].drop: 'messages' cannot be adapted");
    assertThat(problems("params: [ { drop: a, set: b, value: 1 } ]"))
        .contains("models[0].targets[0].params[0]: must have exactly one of rename, set, default, clamp, drop");
    assertThat(problems("params: [ { drop: seed, to: x } ]")).singleElement().asString()
        .startsWith("models[0].targets[0].params[0].to: unknown key");
    assertThat(problems("params: [ { drop: \"x-y\\nz\" } ]"))
        .containsExactly("models[0].targets[0].params[0].drop: must be a parameter name (letters, digits, _ - .)");
    assertThat(problems("params: [ { set: temperature } ]"))
        .containsExactly("models[0].targets[0].params[0].value: is required");
  }

  @Test
  void theEffectiveConfigShowsTheAdaptation() {
    SluiceConfig cfg = new ConfigLoader(Map.<String, String>of()::get).parse(config(
        "system_prompt: { replace: \"Be brief, {{team}}.\" }, params: [ { drop: logit_bias } ]"), "t.yaml");
    var target = EffectiveConfig.report("t.yaml", cfg).get("config").get("models").get(0).get("targets").get(0);
    assertThat(target.get("adaptation").get("system_prompt").get("text").asText()).isEqualTo("Be brief, {{team}}.");
    assertThat(target.get("adaptation").get("system_prompt").has("parts")).isFalse();
    assertThat(target.get("adaptation").get("params").get(0).get("op").asText()).isEqualTo("drop");
  }
}
