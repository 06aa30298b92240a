package dev.sluice.conformance;

import dev.sluice.testing.FakeResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Provider wire fixtures under {@code src/test/resources/fixtures/}, as fake upstream answers. */
final class Fixtures {
  private Fixtures() {}

  static String text(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A whole 200 JSON answer. */
  static FakeResponse json(String path) {
    return FakeResponse.json(200, text(path));
  }

  /** An event-stream fixture, sent event by event (one write per event unless split further). */
  static FakeResponse sse(String path) {
    return FakeResponse.sse(events(path));
  }

  /** The events of an SSE fixture: its blank-line separated blocks, without the separators. */
  static List<String> events(String path) {
    List<String> out = new ArrayList<>();
    for (String block : text(path).replace("\r\n", "\n").split("\n\n")) {
      if (!block.isBlank()) {
        out.add(block.strip());
      }
    }
    return out;
  }
}
