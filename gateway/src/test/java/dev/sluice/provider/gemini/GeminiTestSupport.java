package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.api.openai.OpenAiResponseCodec;
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
import java.util.Random;

/** Fixtures, requests as clients send them, and stream replays at chosen split points. */
final class GeminiTestSupport {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String FALLBACK_ID = "chatcmpl-fixed";
  static final Target TARGET = new Target("google", "gemini-2.5-flash", 1);

  private GeminiTestSupport() {}

  static GeminiAdapter adapter() {
    return new GeminiAdapter(CLOCK, () -> FALLBACK_ID);
  }

  static Buffer fixture(String name) {
    try (InputStream in = GeminiTestSupport.class.getResourceAsStream("/fixtures/gemini/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request as a client sends it. */
  static ChatRequest request(String openAiJson) {
    return new ChatRequest(OpenAiRequestCodec.decode(json(openAiJson)));
  }

  /** What Gemini receives for {@code request}. */
  static ObjectNode encodedBody(ChatRequest request) {
    try {
      return (ObjectNode) Json.parse(adapter().encode(request, TARGET).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds {@code bytes} cut at {@code cuts} (ascending offsets), then ends the stream. */
  static List<ChatChunk> replay(StreamTranslator translator, Buffer bytes, List<Integer> cuts) {
    List<ChatChunk> out = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      translator.onBytes(bytes.slice(from, cut), out::add);
      from = cut;
    }
    translator.onBytes(bytes.slice(from, bytes.length()), out::add);
    translator.onEnd(out::add);
    return out;
  }

  static List<Integer> everyByte(Buffer bytes) {
    List<Integer> cuts = new ArrayList<>(bytes.length());
    for (int i = 1; i < bytes.length(); i++) {
      cuts.add(i);
    }
    return cuts;
  }

  static List<Integer> randomCuts(Buffer bytes, long seed) {
    Random random = new Random(seed);
    List<Integer> cuts = new ArrayList<>();
    int at = 0;
    while (true) {
      at += 1 + random.nextInt(Math.max(1, bytes.length() / 4));
      if (at >= bytes.length()) {
        return cuts;
      }
      cuts.add(at);
    }
  }

  /** A chunk as the OpenAI front writes it, or the error, for readable assertions. */
  static String wire(ChatChunk c) {
    return c.error() != null ? "ERROR " + c.error() : OpenAiResponseCodec.encodeChunk(c.chunk()).toString();
  }
}
