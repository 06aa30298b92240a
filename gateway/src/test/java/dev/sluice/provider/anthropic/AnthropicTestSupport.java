package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.provider.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Fixtures, a fixed clock and byte-slicing replay shared by the Anthropic adapter tests. */
final class AnthropicTestSupport {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final AnthropicAdapter ADAPTER = AnthropicAdapter.create(AnthropicOptions.defaults().withClock(CLOCK));
  static final Target TARGET = new Target("anthropic", "claude-sonnet-4-5", 1);

  private AnthropicTestSupport() {}

  static byte[] fixture(String path) {
    try (InputStream in = AnthropicTestSupport.class.getResourceAsStream("/fixtures/anthropic/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A canonical request parsed from OpenAI JSON, as the front door would. */
  static ChatRequest request(String openAiJson) {
    try {
      return new ChatRequest(OpenAiRequestCodec.decode(Json.MAPPER.readTree(openAiJson)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Anthropic body the adapter sends for {@code openAiJson}. */
  static JsonNode encode(String openAiJson) {
    try {
      return Json.parse(ADAPTER.encode(request(openAiJson), TARGET).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds {@code bytes} cut at the given offsets (ascending), then ends the stream. */
  static List<ChatChunk> replay(StreamTranslator translator, byte[] bytes, List<Integer> cuts) {
    List<ChatChunk> out = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      translator.onBytes(Buffer.buffer().appendBytes(bytes, from, cut - from), out::add);
      from = cut;
    }
    translator.onBytes(Buffer.buffer().appendBytes(bytes, from, bytes.length - from), out::add);
    translator.onEnd(out::add);
    return out.stream().map(AnthropicTestSupport::canonical).toList();
  }

  /** The chunk without the upstream frames it carries (see {@link #framesOf}): what the OpenAI front reads. */
  static ChatChunk canonical(ChatChunk c) {
    return new ChatChunk(c.chunk(), c.openAiJson(), c.error());
  }

  /** Every upstream frame the chunks carry, in order: what the Anthropic front relays. */
  static String framesOf(StreamTranslator translator, byte[] bytes, List<Integer> cuts) {
    StringBuilder sb = new StringBuilder();
    java.util.function.Consumer<ChatChunk> keep = c -> {
      if (c.anthropicSse() != null) {
        sb.append(c.anthropicSse().toString(java.nio.charset.StandardCharsets.UTF_8));
      }
    };
    int from = 0;
    for (int cut : cuts) {
      translator.onBytes(Buffer.buffer().appendBytes(bytes, from, cut - from), keep);
      from = cut;
    }
    translator.onBytes(Buffer.buffer().appendBytes(bytes, from, bytes.length - from), keep);
    translator.onEnd(keep);
    return sb.toString();
  }

  static List<ChatChunk> replayWhole(byte[] bytes) {
    return replay(newTranslator(), bytes, List.of());
  }

  static StreamTranslator newTranslator() {
    return ADAPTER.newStreamTranslator(request("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }
}
