package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Requests with tools as clients send them, from {@code src/test/resources/fixtures/}. */
public final class ToolFixtures {
  /** Tool schemas that trip providers: $defs/$ref, additionalProperties, type lists, const, nested unions. */
  public static final String TRICKY_SCHEMAS = "tools/tricky-schemas-request.json";
  /**
   * A multi-turn tool conversation whose ids came from other providers: Kimi's
   * {@code functions.get_weather:0}, a 51-character Responses API id, {@code call_0} twice (a
   * Gemini route numbers calls per answer) and an Anthropic {@code toolu_} id.
   */
  public static final String FOREIGN_IDS = "tools/cross-provider-conversation.json";

  private ToolFixtures() {}

  public static String text(String path) {
    try (InputStream in = ToolFixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String path) {
    return parse(text(path));
  }

  public static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture as the canonical request the front door makes of it. */
  public static ChatRequest request(String path) {
    return new ChatRequest(OpenAiRequestCodec.decode(json(path)));
  }

  /** A request from inline OpenAI JSON. */
  public static ChatRequest inline(String openAiJson) {
    return new ChatRequest(OpenAiRequestCodec.decode(parse(openAiJson)));
  }
}
