package dev.sluice.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Fixtures, a fixed clock and SSE parsing shared by the Anthropic front door tests. */
final class FrontTestSupport {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

  /** One parsed SSE event: its {@code event:} name and its {@code data:} JSON. */
  record Event(String name, JsonNode data) {}

  private FrontTestSupport() {}

  static AnthropicFrontDoor front() {
    return new AnthropicFrontDoor(CLOCK);
  }

  static String fixture(String path) {
    try (InputStream in = FrontTestSupport.class.getResourceAsStream("/fixtures/anthropic-front/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ChatRequest parseFixture(String name) {
    return front().parse(Buffer.buffer(fixture("request/" + name + ".json")));
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Buffer buffer) {
    return json(buffer.toString(StandardCharsets.UTF_8));
  }

  /** An OpenAI stream fixture as the canonical chunks a provider translator hands on. */
  static List<ChatChunk> openAiChunks(String fixture) {
    List<ChatChunk> out = new ArrayList<>();
    for (String data : dataLines(fixture(fixture))) {
      if (!data.equals("[DONE]")) {
        out.add(ChatChunk.of(OpenAiResponseCodec.decodeChunk(json(data)), null));
      }
    }
    return out;
  }

  private static List<String> dataLines(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) {
        out.add(line.substring(6));
      }
    }
    return out;
  }

  /** The events of an expected-output fixture, {@code event:}/{@code data:} pairs. */
  static List<Event> expectedEvents(String fixture) {
    List<Event> out = new ArrayList<>();
    for (String block : fixture(fixture).split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String[] lines = block.strip().split("\n");
      out.add(new Event(lines[0].substring("event: ".length()), json(lines[1].substring("data: ".length()))));
    }
    return out;
  }

  /**
   * Parses what a front stream wrote, asserting the wire form of each write: exactly one event
   * {@code event: X\ndata: <one-line JSON whose "type" is X>\n\n}.
   */
  static List<Event> events(List<Buffer> writes) {
    List<Event> out = new ArrayList<>();
    for (Buffer write : writes) {
      String text = write.toString(StandardCharsets.UTF_8);
      assertThat(text).as("one SSE event per write").endsWith("\n\n");
      String[] lines = text.substring(0, text.length() - 2).split("\n", -1);
      assertThat(lines).as("an event: line and a data: line, in %s", text).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      String name = lines[0].substring("event: ".length());
      JsonNode data = json(lines[1].substring("data: ".length()));
      assertThat(data.path("type").asText()).as("data.type of %s", text).isEqualTo(name);
      out.add(new Event(name, data));
    }
    return out;
  }

  static List<String> names(List<Event> events) {
    return events.stream().map(Event::name).toList();
  }
}
