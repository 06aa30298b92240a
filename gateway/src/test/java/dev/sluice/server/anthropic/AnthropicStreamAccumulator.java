package dev.sluice.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.anthropic.FrontTestSupport.Event;
import java.util.List;

/**
 * Test-side reader of an Anthropic event stream, as strict as the grammar the SDKs expect: it checks
 * the order of events and rebuilds the final message by applying them (start fields, deltas by block
 * index, partial JSON joined and parsed at block stop, message_delta's stop reason and usage).
 */
final class AnthropicStreamAccumulator {
  private AnthropicStreamAccumulator() {}

  static ObjectNode rebuild(List<Event> events) {
    assertThat(events).isNotEmpty();
    assertThat(events.get(0).name()).as("first event").isEqualTo("message_start");
    ObjectNode message = events.get(0).data().get("message").deepCopy();
    ArrayNode content = (ArrayNode) message.get("content");
    assertThat(content).as("message_start content").isEmpty();
    StringBuilder json = null;
    int open = -1;
    boolean deltaSeen = false;
    boolean stopped = false;
    for (Event e : events.subList(1, events.size())) {
      JsonNode d = e.data();
      if (stopped) {
        fail("event after message_stop: " + e);
      }
      switch (e.name()) {
        case "ping" -> { }
        case "content_block_start" -> {
          assertThat(open).as("a block is still open at %s", d).isEqualTo(-1);
          assertThat(deltaSeen).as("content after message_delta").isFalse();
          assertThat(d.get("index").asInt()).as("next block index").isEqualTo(content.size());
          content.add(d.get("content_block").deepCopy());
          open = d.get("index").asInt();
          json = new StringBuilder();
        }
        case "content_block_delta" -> {
          assertThat(d.get("index").asInt()).as("delta for the open block").isEqualTo(open);
          ObjectNode block = (ObjectNode) content.get(open);
          JsonNode delta = d.get("delta");
          switch (delta.get("type").asText()) {
            case "text_delta" -> {
              assertThat(block.get("type").asText()).isEqualTo("text");
              block.put("text", block.get("text").asText() + delta.get("text").asText());
            }
            case "thinking_delta" -> {
              assertThat(block.get("type").asText()).isEqualTo("thinking");
              block.put("thinking", block.get("thinking").asText() + delta.get("thinking").asText());
            }
            case "input_json_delta" -> {
              assertThat(block.get("type").asText()).isEqualTo("tool_use");
              json.append(delta.get("partial_json").asText());
            }
            default -> fail("unknown delta " + delta);
          }
        }
        case "content_block_stop" -> {
          assertThat(d.get("index").asInt()).as("stop of the open block").isEqualTo(open);
          ObjectNode block = (ObjectNode) content.get(open);
          if (block.get("type").asText().equals("tool_use") && !json.isEmpty()) {
            block.set("input", FrontTestSupport.json(json.toString()));
          }
          open = -1;
        }
        case "message_delta" -> {
          assertThat(open).as("a block is still open at message_delta").isEqualTo(-1);
          deltaSeen = true;
          message.set("stop_reason", d.get("delta").get("stop_reason"));
          message.set("stop_sequence", d.get("delta").get("stop_sequence"));
          ObjectNode usage = (ObjectNode) message.get("usage");
          d.get("usage").fields().forEachRemaining(f -> usage.set(f.getKey(), f.getValue()));
        }
        case "message_stop" -> {
          assertThat(deltaSeen).as("message_delta before message_stop").isTrue();
          stopped = true;
        }
        default -> fail("unknown event " + e);
      }
    }
    assertThat(stopped).as("the stream ends with message_stop").isTrue();
    return message;
  }
}
