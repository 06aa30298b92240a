package dev.sluice.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolCallIdsTest {

  @Test
  void acceptedIdsStayAndOthersAreDerivedStablyFromTheOriginal() {
    ToolCallIds a = new ToolCallIds(ToolCallIds.Format.ANTHROPIC);
    ToolCallIds b = new ToolCallIds(ToolCallIds.Format.ANTHROPIC);

    assertThat(a.call("call_abc")).isEqualTo("call_abc");
    assertThat(a.rewrote()).isFalse();
    String derived = a.call("functions.get_weather:0");
    assertThat(derived).startsWith("functions_get_weather_0_").matches("[A-Za-z0-9_-]+");
    assertThat(b.call("functions.get_weather:0")).isEqualTo(derived);
    assertThat(a.result("functions.get_weather:0")).isEqualTo(derived);
    assertThat(a.rewrote()).isTrue();
  }

  @Test
  void idsThatDifferOnlyInRefusedCharactersStayDistinct() {
    ToolCallIds ids = new ToolCallIds(ToolCallIds.Format.ANTHROPIC);

    String dot = ids.call("x.1");
    String colon = ids.call("x:1");
    assertThat(dot).isNotEqualTo(colon);
    assertThat(ids.result("x.1")).isEqualTo(dot);
    assertThat(ids.result("x:1")).isEqualTo(colon);
  }

  @Test
  void aRepeatedIdGetsANewOneAndItsResultsFollowTheLatestCall() {
    ToolCallIds ids = new ToolCallIds(ToolCallIds.Format.MISTRAL);

    String first = ids.call("abcdEFG12");
    assertThat(first).isEqualTo("abcdEFG12");
    assertThat(ids.result("abcdEFG12")).isEqualTo(first);
    String second = ids.call("abcdEFG12");
    assertThat(second).isNotEqualTo(first).matches("[A-Za-z0-9]{9}");
    assertThat(ids.result("abcdEFG12")).isEqualTo(second);
  }

  @Test
  void aResultWithoutACallIsStillMadeAcceptable() {
    assertThat(new ToolCallIds(ToolCallIds.Format.OPENAI).result("x".repeat(60))).hasSize(40);
    assertThat(new ToolCallIds(ToolCallIds.Format.MISTRAL).result("call_1")).matches("[A-Za-z0-9]{9}");
    assertThat(new ToolCallIds(ToolCallIds.Format.OPENAI).call(null)).isNull();
  }
}
