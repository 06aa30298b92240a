package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.Json;
import dev.sluice.testing.Splits;
import dev.sluice.upstream.SseFramer;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming chunk reader against the reference decoding (tree + {@link OpenAiResponseCodec}):
 * whatever it decodes must equal the reference, and what it cannot decode exactly it must hand back.
 */
class OpenAiChunkReaderTest {
  private static final String HEAD = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"m\",";

  private static ChatCompletionChunk reference(String json) throws Exception {
    return OpenAiResponseCodec.decodeChunk(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static ChatCompletionChunk fast(String json) {
    return new OpenAiChunkReader().read(json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> fixtureEvents(String fixture) {
    List<String> out = new ArrayList<>();
    SseFramer framer = new SseFramer();
    framer.feed(Buffer.buffer(Splits.fixture(fixture)), e -> out.add(e.dataAsString()));
    framer.end(e -> out.add(e.dataAsString()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai/stream-text.sse", "openai/stream-tools.sse", "openai/stream-crlf.sse"})
  void fixtureChunksDecodeExactlyAsTheReference(String fixture) throws Exception {
    OpenAiChunkReader reader = new OpenAiChunkReader(); // one per stream, as in the translator
    int decoded = 0;
    for (String data : fixtureEvents(fixture)) {
      if (data.equals("[DONE]")) {
        continue;
      }
      ChatCompletionChunk chunk = reader.read(data.getBytes(StandardCharsets.UTF_8));
      assertThat(chunk).as(data).isNotNull().isEqualTo(reference(data));
      decoded++;
    }
    assertThat(decoded).isGreaterThanOrEqualTo(3);
  }

  /** Shapes the reader takes: every one must equal the reference decoding. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{\"choices\":[]}",
      "{\"choices\":null,\"usage\":null,\"error\":null,\"id\":null,\"model\":7,\"created\":null}",
      HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\\"b\\\\c\\u00e9\\ud83d\\udc4b\\n\"},\"finish_reason\":null}]}",
      HEAD + "\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":null}}]}",
      HEAD + "\"choices\":[{\"index\":1,\"delta\":{}},{\"delta\":null,\"finish_reason\":\"stop\"},{\"index\":5}]}",
      HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\",\"content\":{\"nested\":[1,2]}}}]}",
      HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{}\"}},"
          + "{\"index\":3,\"id\":\"call\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"extra\":{}}}]}}]}",
      HEAD + "\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":null},{\"function\":\"x\"}]}}]}",
      HEAD + "\"choices\":[{\"delta\":{\"tool_calls\":null}},{\"delta\":{\"tool_calls\":{\"a\":1}}}]}",
      HEAD + "\"choices\":[{\"delta\":{\"tool_calls\":[]}}]}",
      HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":8,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}",
      "{\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4}}",
      "{\"usage\":{\"prompt_tokens\":5000000000,\"total_tokens\":null,\"prompt_tokens_details\":null,"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":\"x\"}}}",
      "{\"usage\":{\"prompt_tokens_details\":\"x\",\"completion_tokens_details\":{\"reasoning_tokens\":null}}}",
      // Duplicate keys: last wins, whole values replaced, as in a tree.
      HEAD + "\"id\":\"c2\",\"choices\":[{\"index\":0}],\"choices\":[{\"index\":1,\"delta\":{\"content\":\"x\",\"content\":\"y\"}}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"a\"},\"function\":{\"arguments\":\"b\"}}]}}]}",
      "{\"usage\":{\"prompt_tokens\":1},\"usage\":null}",
      "{\"error\":null,\"choices\":[{\"index\":0}]}",
      "{\"logprobs\":{\"content\":[{\"token\":\"a\",\"bytes\":[97]}]},\"choices\":[{\"logprobs\":[[{}]],\"index\":0}]} trailing",
  })
  void commonShapesDecodeExactlyAsTheReference(String json) throws Exception {
    ChatCompletionChunk chunk = fast(json);
    assertThat(chunk).as(json).isNotNull().isEqualTo(reference(json));
  }

  /** Shapes the codec coerces or rejects, errors and malformed JSON: left to the reference path. */
  @ParameterizedTest
  @ValueSource(strings = {
      "[1,2]",
      "42",
      "\"text\"",
      "null",
      " ",
      "{\"choices\":[{\"index\":0",
      "{\"choices\":[{\"delta\":{\"content\":\"a\\qb\"}}]}",
      "{\"error\":{\"message\":\"boom\"}}",
      "{\"error\":\"boom\"}",
      "{\"choices\":[],\"error\":false}",
      "{\"created\":1.5e9}",
      "{\"created\":\"1741569952\"}",
      "{\"created\":123456789012345678901234567890}",
      "{\"choices\":{\"index\":0}}",
      "{\"choices\":[null]}",
      "{\"choices\":[{\"index\":\"1\"}]}",
      "{\"choices\":[{\"index\":null}]}",
      "{\"choices\":[{\"delta\":\"text\"}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1.0}]}}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":[\"x\"]}}]}",
      "{\"usage\":{\"prompt_tokens\":null}}",
      "{\"usage\":{\"completion_tokens\":\"4\"}}",
      "{\"usage\":{\"total_tokens\":16.0}}",
      "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":8.5}}}",
      "{\"usage\":[1]}",
  })
  void otherShapesAreLeftToTheReferencePath(String json) {
    assertThat(fast(json)).as(json).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai/stream-text.sse", "openai/stream-tools.sse"})
  void repeatedIdsAndModelsAreReusedNotReallocated(String fixture) {
    OpenAiChunkReader reader = new OpenAiChunkReader();
    List<ChatCompletionChunk> chunks = fixtureEvents(fixture).stream().filter(d -> !d.equals("[DONE]"))
        .map(d -> reader.read(d.getBytes(StandardCharsets.UTF_8))).toList();
    assertThat(chunks).hasSizeGreaterThan(2);
    for (ChatCompletionChunk c : chunks) {
      assertThat(c.id()).isSameAs(chunks.get(0).id());
      assertThat(c.model()).isSameAs(chunks.get(0).model());
    }
  }
}
