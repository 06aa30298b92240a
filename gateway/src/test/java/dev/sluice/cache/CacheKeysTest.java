package dev.sluice.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import org.junit.jupiter.api.Test;

/** The cache key: what changes the answer changes the key; what does not, does not; scopes never meet. */
class CacheKeysTest {
  private static ChatRequest req(String json) throws Exception {
    return new ChatRequest(OpenAiRequestCodec.decode(Json.parse(json.getBytes())));
  }

  private static String key(String json) throws Exception {
    return CacheKeys.key(req(json), "chat|up/m1", "team:red");
  }

  private static final String BASE = "{\"model\":\"chat\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @Test
  void fieldsThatDoNotChangeTheAnswerDoNotChangeTheKey() throws Exception {
    String k = key(BASE);
    assertThat(k).hasSize(64).matches("[0-9a-f]+");
    assertThat(key("{\"messages\":[{\"content\":\"Hi\",\"role\":\"user\"}],\"temperature\":0.0,\"model\":\"chat\","
        + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"user\":\"u1\",\"metadata\":{\"a\":\"b\"}}"))
        .isEqualTo(k);
  }

  @Test
  void everythingThatChangesTheAnswerChangesTheKey() throws Exception {
    String k = key(BASE);
    String[] variants = {
        BASE.replace("Hi", "Hi "),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"seed\":1"),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"max_tokens\":5"),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"stop\":[\"x\"]"),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"top_p\":0.5"),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"response_format\":{\"type\":\"json_object\"}"),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"tool_choice\":\"none\""),
        BASE.replace("\"temperature\":0", "\"temperature\":0,\"logit_bias\":{\"1\":2}"),
        BASE.replace("\"role\":\"user\"", "\"role\":\"system\""),
    };
    for (String v : variants) {
      assertThat(key(v)).as(v).isNotEqualTo(k);
    }
    assertThat(CacheKeys.key(req(BASE), "chat|up/m2", "team:red")).isNotEqualTo(k);
  }

  @Test
  void anAnthropicBodysFieldsWithoutACanonicalSlotChangeTheKey() throws Exception {
    ChatRequest canonical = req(BASE);
    String thinking = "{\"model\":\"chat\",\"max_tokens\":9,\"messages\":[{\"role\":\"assistant\",\"content\":"
        + "[{\"type\":\"thinking\",\"thinking\":\"%s\",\"signature\":\"sig\"}]}]}";
    ChatRequest a = new ChatRequest(canonical.body(),
        new dev.sluice.core.AnthropicBody((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
            thinking.formatted("plan A").getBytes()), canonical.body()));
    ChatRequest b = new ChatRequest(canonical.body(),
        new dev.sluice.core.AnthropicBody((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
            thinking.formatted("plan B").getBytes()), canonical.body()));
    // The same canonical form (it has no slot for thinking blocks), other Anthropic bodies: other answers.
    assertThat(CacheKeys.key(a, "chat", "global")).isNotEqualTo(CacheKeys.key(b, "chat", "global"))
        .isNotEqualTo(CacheKeys.key(canonical, "chat", "global"));
    ChatRequest sameAsA = new ChatRequest(canonical.body(),
        new dev.sluice.core.AnthropicBody((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
            thinking.formatted("plan A").replace("\"model\":\"chat\"", "\"stream\":true,\"model\":\"x\"")
                .getBytes()), canonical.body()));
    assertThat(CacheKeys.key(sameAsA, "chat", "global")).as("only the blocks without a canonical slot count")
        .isEqualTo(CacheKeys.key(a, "chat", "global"));
    ChatRequest plainText = new ChatRequest(canonical.body(),
        new dev.sluice.core.AnthropicBody((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}"
                .getBytes()), canonical.body()));
    assertThat(CacheKeys.key(plainText, "chat", "global")).as("nothing beyond the canonical form: the twin's key")
        .isEqualTo(CacheKeys.key(canonical, "chat", "global"));
  }

  @Test
  void theSameBodyInAnotherScopeHasAnotherKey() throws Exception {
    ChatRequest r = req(BASE);
    assertThat(CacheKeys.key(r, "chat", "team:red")).isNotEqualTo(CacheKeys.key(r, "chat", "team:blue"))
        .isNotEqualTo(CacheKeys.key(r, "chat", "global"));
    // Length-prefixed parts: moving a character between scope and entry does not collide.
    assertThat(CacheKeys.key(r, "ab", "c")).isNotEqualTo(CacheKeys.key(r, "b", "ca"));
    assertThat(CacheScope.TEAM.valueFor("k1", null)).isEqualTo("key:k1");
    assertThat(CacheScope.TEAM.valueFor("k1", "red")).isEqualTo("team:red");
    assertThat(CacheScope.KEY.valueFor("k1", "red")).isEqualTo("key:k1");
  }

  @Test
  void theCanonicalFormSortsKeysAndNormalizesNumbers() throws Exception {
    String c = CacheKeys.canonical(req("{\"model\":\"m\",\"temperature\":0.50,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"é\\\"\"}],\"z_extra\":{\"b\":1.0,\"a\":[2e0]}}"));
    assertThat(c).isEqualTo("{\"messages\":[{\"content\":\"é\\\"\",\"role\":\"user\"}],\"temperature\":0.5,"
        + "\"z_extra\":{\"a\":[2],\"b\":1}}");
  }
}
