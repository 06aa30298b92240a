package dev.sluice.switching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** System prompt edits and their logic-less templates. */
class PromptRuleTest {
  private static final Target TARGET = new Target("p", "some-model", 1);
  private static final RequestFacts FACTS = new RequestFacts("billing-bot", "payments", "chat-default");

  private static Adapted adapt(String mode, List<String> parts, String json) throws Exception {
    Adaptations a = Adaptations.builder(FamilyCatalog.bundled(), Map.of("p", "openai"))
        .target(TARGET, List.of(), PromptRule.of(mode, parts)).build();
    return a.adapt(TARGET, new ChatRequest(OpenAiRequestCodec.decode(Json.MAPPER.readTree(json))), FACTS);
  }

  private static List<ChatMessage> messages(Adapted a) {
    return a.request().body().messages();
  }

  private static final String WITH_SYSTEM = """
      {"model":"m","messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"hi"}]}""";
  private static final String WITHOUT_SYSTEM = """
      {"model":"m","messages":[{"role":"user","content":"hi"}]}""";

  @Test
  void prependAndAppendJoinTheFirstSystemMessage() throws Exception {
    Adapted pre = adapt("prepend", List.of("Team rules."), WITH_SYSTEM);
    assertThat(messages(pre).get(0).content().text()).isEqualTo("Team rules.\n\nBe kind.");
    assertThat(messages(pre)).hasSize(2);
    assertThat(pre.changes()).containsExactly("system_prompt:prepend");
    Adapted post = adapt("append", List.of("Answer in French."), WITH_SYSTEM);
    assertThat(messages(post).get(0).content().text()).isEqualTo("Be kind.\n\nAnswer in French.");
    assertThat(post.changes()).containsExactly("system_prompt:append");
  }

  @Test
  void replaceRemovesEverySystemAndDeveloperMessage() throws Exception {
    Adapted r = adapt("replace", List.of("Only this."), """
        {"model":"m","messages":[{"role":"system","content":"a"},{"role":"developer","content":"b"},
         {"role":"user","content":"hi"},{"role":"system","content":"c"}]}""");
    assertThat(messages(r)).extracting(ChatMessage::role).containsExactly("system", "user");
    assertThat(messages(r).get(0).content().text()).isEqualTo("Only this.");
  }

  @Test
  void withoutASystemMessageEachModeCreatesOne() throws Exception {
    for (String mode : List.of("prepend", "append", "replace")) {
      Adapted a = adapt(mode, List.of("New."), WITHOUT_SYSTEM);
      assertThat(messages(a)).extracting(ChatMessage::role).containsExactly("system", "user");
      assertThat(messages(a).get(0).content().text()).isEqualTo("New.");
    }
  }

  @Test
  void anthropicStyleSystemBlocksGetATextPart() throws Exception {
    Adapted a = adapt("prepend", List.of("First."), """
        {"model":"m","messages":[{"role":"system","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]},
         {"role":"user","content":"hi"}]}""");
    assertThat(messages(a).get(0).content().joinedText()).isEqualTo("First.\n\nonetwo");
  }

  @Test
  void variablesComeFromTheGatewayThenTheRequestsMetadata() throws Exception {
    Adapted a = adapt("prepend", List.of("Key ", "key_name", " of ", "team", " on ", "model", ", tenant ", "tenant",
        ", missing [", "nope", "], number [", "n", "]"), """
        {"model":"m","metadata":{"tenant":"acme","n":5},"messages":[{"role":"user","content":"hi"}]}""");
    assertThat(messages(a).get(0).content().text())
        .isEqualTo("Key billing-bot of payments on chat-default, tenant acme, missing [], number []");
  }

  @Test
  void aSubstitutedValueIsNeverExpandedAgain() throws Exception {
    Adapted a = adapt("replace", List.of("Customer: ", "customer", "."), """
        {"model":"m","metadata":{"customer":"{{key_name}} {{team}} {{#each x}}"},"messages":[{"role":"user","content":"hi"}]}""");
    assertThat(messages(a).get(0).content().text()).isEqualTo("Customer: {{key_name}} {{team}} {{#each x}}.");
  }

  @Test
  void metadataCannotPoseAsTheKeyOrTeam() throws Exception {
    Adapted a = adapt("replace", List.of("", "key_name", "/", "team", ""), """
        {"model":"m","metadata":{"key_name":"admin","team":"root"},"messages":[{"role":"user","content":"hi"}]}""");
    assertThat(messages(a).get(0).content().text()).isEqualTo("billing-bot/payments");
  }

  @Test
  void anEmptyPrependChangesNothing() throws Exception {
    Adapted a = adapt("prepend", List.of("", "nope", ""), WITH_SYSTEM);
    assertThat(a.changes()).isEmpty();
    assertThat(messages(a).get(0).content().text()).isEqualTo("Be kind.");
  }
}
