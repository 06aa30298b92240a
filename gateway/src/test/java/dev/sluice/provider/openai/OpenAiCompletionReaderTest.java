package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.testing.OpenAiFixtures;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming read of a completion gives what the tree decoder gives, or leaves the body to it. */
class OpenAiCompletionReaderTest {
  private static final String BENCH = "{\"id\":\"chatcmpl-bench0001\",\"object\":\"chat.completion\",\"created\":1732500000,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
      + "\"Hello!\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,"
      + "\"completion_tokens\":19,\"total_tokens\":43,\"prompt_tokens_details\":{\"cached_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"system_fingerprint\":\"fp_bench\"}";

  private static List<String> bodies() throws Exception {
    List<String> out = new ArrayList<>(List.of(BENCH, OpenAiFixtures.COMPLETION,
        // two choices, a null message, no usage, unknown fields of every shape, a repeated id (the last wins)
        "{\"id\":\"a\",\"id\":\"b\",\"created\":null,\"x\":[1,{\"y\":[]}],\"choices\":[{\"index\":0,\"message\":null,"
            + "\"finish_reason\":null},{\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"t\"}]},"
            + "\"finish_reason\":\"length\",\"logprobs\":{\"content\":[]}}],\"usage\":null,\"system_fingerprint\":7}",
        "{\"choices\":{},\"model\":{\"a\":1},\"usage\":{\"prompt_tokens\":5}}",
        // usage read without a tree: nulls, repeats (the last wins), unknown fields, details absent or null
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":null,\"completion_tokens\":3,\"total_tokens\":null,"
            + "\"x\":{\"y\":[1]},\"prompt_tokens_details\":{\"cached_tokens\":4,\"audio_tokens\":1},"
            + "\"prompt_tokens_details\":{\"audio_tokens\":2},\"completion_tokens_details\":null}}",
        "{\"usage\":{\"total_tokens\":9,\"total_tokens\":10,\"prompt_tokens\":2,\"prompt_tokens\":6,"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":null,\"reasoning_tokens\":7}},\"choices\":[]}",
        "{\"usage\":{\"prompt_tokens\":9007199254740993,\"completion_tokens\":0},\"choices\":[]}",
        "{\"usage\":{},\"choices\":[]}"));
    for (String f : List.of("openai/tool-calls.json", "openai/completion-cached-reasoning.json",
        "openai-compatible/reasoner.json", "azure/completion.json")) {
      out.add(Files.readString(Path.of("src/test/resources/fixtures/conformance/" + f)));
    }
    return out;
  }

  @Test
  void readsWhatTheTreeDecoderReads() throws Exception {
    for (String body : bodies()) {
      assertThat(OpenAiCompletionReader.read(Buffer.buffer(body))).as(body)
          .isEqualTo(OpenAiResponseCodec.decodeCompletion(Json.parse(Buffer.buffer(body))));
      // and through the adapter: the canonical answer, the upstream's bytes for the OpenAI front
      ChatResponse r = OpenAiAdapter.instance().decode(Buffer.buffer(body));
      assertThat(r.openAiJson()).hasToString(body);
    }
  }

  @Test
  void leavesUnusualBodiesToTheTreeDecoder() {
    for (String body : List.of("{\"object\":\"response\",\"output\":[]}", "{\"created\":\"1\",\"choices\":[]}",
        "{\"choices\":[{\"index\":\"0\"}]}", "{\"choices\":[1]}", "{\"choices\":[]} {}", "[]", "", "{\"choices\":[",
        "{\"choices\":[{\"message\":{\"content\":\"no role\"}}]}")) {
      assertThat(OpenAiCompletionReader.read(Buffer.buffer(body))).as(body).isNull();
    }
  }

  @Test
  void leavesUsageOfUnusualTypesToTheTreeDecoder() throws Exception {
    // counts as strings, fractions, huge integers or details that are not objects: the tree decoder's
    // leniency (asLong, isNumber) decides them, so the whole answer goes its way with the same result
    for (String usage : List.of("{\"prompt_tokens\":\"12\"}", "{\"completion_tokens\":1.5}",
        "{\"total_tokens\":123456789012345678901234567890}", "{\"prompt_tokens_details\":3}",
        "{\"completion_tokens_details\":{\"reasoning_tokens\":2.0}}", "{\"prompt_tokens\":true}")) {
      String body = "{\"choices\":[],\"usage\":" + usage + "}";
      assertThat(OpenAiCompletionReader.read(Buffer.buffer(body))).as(body).isNull();
      assertThat(OpenAiAdapter.instance().decode(Buffer.buffer(body)).body().usage()).as(body)
          .isEqualTo(OpenAiResponseCodec.decodeCompletion(Json.parse(Buffer.buffer(body))).usage());
    }
  }

  @Test
  void aMalformedAnswerIsStillAServerError() {
    for (String body : List.of("{\"choices\":[", "not json", "{\"choices\":[{\"message\":{\"content\":\"no role\"}}]}")) {
      assertThatThrownBy(() -> OpenAiAdapter.instance().decode(Buffer.buffer(body))).as(body)
          .isInstanceOf(UpstreamFailure.class);
    }
  }
}
