package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.conformance.Answer.ToolCallOut;
import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.ChatSpec.AssistantToolCalls;
import dev.sluice.conformance.ChatSpec.Call;
import dev.sluice.conformance.ChatSpec.Result;
import dev.sluice.conformance.ChatSpec.ToolResults;
import dev.sluice.conformance.ChatSpec.UserImage;
import dev.sluice.conformance.ChatSpec.UserText;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The Anthropic Messages front: {@code x-api-key} auth (no Authorization header), requests with
 * {@code max_tokens}, answers as {@code message} objects or the Messages event stream. The stream is
 * replayed the way the Anthropic SDKs accumulate it, checking the grammar as it goes: message_start
 * first, blocks indexed 0, 1, 2 ... each started, delta'd and stopped before the next, message_delta
 * after the last block, message_stop last — or a terminal {@code error} event.
 *
 * <p>Normalization: end_turn/stop_sequence → stop, tool_use → tool_calls, max_tokens → length,
 * refusal → content_filter; input = input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens; there is no reasoning-token count (null).
 */
final class AnthropicFrontClient implements FrontClient {
  static final String VERSION = "2023-06-01";

  @Override
  public String path() {
    return "/v1/messages";
  }

  @Override
  public HttpRequest.Builder authenticate(HttpRequest.Builder request, String key) {
    return request.header("x-api-key", key).header("anthropic-version", VERSION);
  }

  @Override
  public String requestIdHeader() {
    return "request-id";
  }

  @Override
  public String encode(ChatSpec spec) {
    ObjectNode o = JSON.createObjectNode().put("model", spec.model()).put("max_tokens", spec.maxTokens());
    if (spec.system() != null) {
      o.put("system", spec.system());
    }
    ArrayNode messages = o.putArray("messages");
    for (ChatSpec.Turn turn : spec.turns()) {
      if (turn instanceof UserText t) {
        messages.addObject().put("role", "user").put("content", t.text());
      } else if (turn instanceof UserImage i) {
        ArrayNode content = messages.addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "image").putObject("source").put("type", "base64")
            .put("media_type", i.mediaType()).put("data", i.base64());
        content.addObject().put("type", "text").put("text", i.text());
      } else if (turn instanceof AssistantToolCalls a) {
        ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
        if (a.text() != null) {
          content.addObject().put("type", "text").put("text", a.text());
        }
        for (Call c : a.calls()) {
          content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
              .set("input", FrontClient.parse(c.argumentsJson()));
        }
      } else if (turn instanceof ToolResults r) {
        ArrayNode content = messages.addObject().put("role", "user").putArray("content");
        for (Result result : r.results()) {
          content.addObject().put("type", "tool_result").put("tool_use_id", result.callId())
              .put("content", result.content());
        }
      }
    }
    if (spec.stream()) {
      o.put("stream", true);
    }
    if (!spec.tools().isEmpty()) {
      ArrayNode tools = o.putArray("tools");
      for (ChatSpec.Tool t : spec.tools()) {
        tools.addObject().put("name", t.name()).put("description", t.description()).set("input_schema", t.schema());
      }
    }
    if (spec.jsonSchema() != null) {
      // Structured outputs: generally available as output_config.format (formerly the beta output_format).
      o.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", spec.jsonSchema());
    }
    return o.toString();
  }

  @Override
  public Answer decode(HttpResponse<String> res) {
    if (res.statusCode() != 200) {
      return error(res);
    }
    return FrontClient.isEventStream(res) ? stream(res) : whole(res);
  }

  private static Answer error(HttpResponse<String> res) {
    JsonNode body = FrontClient.parse(res.body());
    assertThat(FrontClient.text(body, "type")).as("Anthropic error shape {\"type\":\"error\",...}: %s", res.body())
        .isEqualTo("error");
    JsonNode e = body.get("error");
    assertThat(e != null && e.has("type") && e.has("message")).as("error has type and message: %s", res.body()).isTrue();
    return new Answer(res.statusCode(), "", "", List.of(), null, null, kind(FrontClient.text(e, "type")),
        FrontClient.text(e, "message"), null, false, List.of(), false);
  }

  /** Anthropic error type → the normalized kind. */
  static String kind(String type) {
    return switch (String.valueOf(type)) {
      case "invalid_request_error", "request_too_large" -> "invalid_request";
      case "authentication_error", "permission_error" -> "authentication";
      case "not_found_error" -> "not_found";
      case "rate_limit_error" -> "rate_limited";
      case "api_error" -> "upstream_failed";
      case "overloaded_error" -> "overloaded";
      case "timeout_error" -> "timeout";
      default -> "other";
    };
  }

  static String finish(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> "stop";
      case "tool_use" -> "tool_calls";
      case "max_tokens" -> "length";
      case "refusal" -> "content_filter";
      default -> stopReason;
    };
  }

  private static Answer whole(HttpResponse<String> res) {
    JsonNode body = FrontClient.parse(res.body());
    assertThat(FrontClient.text(body, "type")).isEqualTo("message");
    assertThat(FrontClient.text(body, "role")).isEqualTo("assistant");
    assertThat(FrontClient.text(body, "id")).startsWith("msg_");
    assertThat(FrontClient.text(body, "model")).as("the message names the model").isNotBlank();
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    List<ToolCallOut> calls = new ArrayList<>();
    for (JsonNode block : body.path("content")) {
      switch (String.valueOf(FrontClient.text(block, "type"))) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> reasoning.append(block.path("thinking").asText());
        case "tool_use" -> {
          assertThat(block.path("input").isObject()).as("tool_use input is an object: %s", block).isTrue();
          calls.add(new ToolCallOut(FrontClient.text(block, "id"), FrontClient.text(block, "name"), block.get("input")));
        }
        case "redacted_thinking" -> {
          // encrypted reasoning an Anthropic provider's answer carries through: nothing to read
        }
        default -> throw new AssertionError("unexpected content block " + block);
      }
    }
    return new Answer(200, text.toString(), reasoning.toString(), calls, finish(FrontClient.text(body, "stop_reason")),
        usage(body.path("usage"), null), null, null, null, false, List.of(), false);
  }

  private static Answer stream(HttpResponse<String> res) {
    List<ObjectNode> blocks = new ArrayList<>();
    List<StringBuilder> partialJson = new ArrayList<>();
    ObjectNode usage = null;
    String stopReason = null;
    int open = -1;
    boolean started = false;
    boolean delta = false;
    boolean stopped = false;
    String terminalError = null;
    for (String event : res.body().split("\n\n")) {
      if (event.isBlank()) {
        continue;
      }
      assertThat(stopped || terminalError != null).as("an event after the end of the stream: %s", event).isFalse();
      String[] lines = event.split("\n");
      assertThat(lines).as("event: and data: lines in %s", event).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      String name = lines[0].substring("event: ".length());
      JsonNode data = FrontClient.parse(lines[1].substring("data: ".length()));
      assertThat(FrontClient.text(data, "type")).as("data.type of %s", event).isEqualTo(name);
      if (!started && !name.equals("error")) {
        assertThat(name).as("the first event").isEqualTo("message_start");
      }
      switch (name) {
        case "message_start" -> {
          assertThat(started).as("one message_start").isFalse();
          started = true;
          JsonNode message = data.path("message");
          assertThat(FrontClient.text(message, "id")).startsWith("msg_");
          assertThat(FrontClient.text(message, "model")).as("message_start names the model: %s", event).isNotBlank();
          assertThat(message.path("content")).isEmpty();
          usage = ((ObjectNode) message.path("usage")).deepCopy();
        }
        case "ping" -> { }
        case "content_block_start" -> {
          assertThat(open).as("a block is still open at %s", event).isEqualTo(-1);
          assertThat(delta).as("a block after message_delta").isFalse();
          assertThat(data.path("index").asInt()).as("blocks are numbered 0, 1, 2 ...").isEqualTo(blocks.size());
          blocks.add(((ObjectNode) data.path("content_block")).deepCopy());
          partialJson.add(new StringBuilder());
          open = data.path("index").asInt();
        }
        case "content_block_delta" -> {
          assertThat(data.path("index").asInt()).as("a delta for the open block: %s", event).isEqualTo(open);
          ObjectNode block = blocks.get(open);
          JsonNode d = data.path("delta");
          switch (String.valueOf(FrontClient.text(d, "type"))) {
            case "text_delta" -> block.put("text", block.path("text").asText() + d.path("text").asText());
            case "thinking_delta" -> block.put("thinking", block.path("thinking").asText() + d.path("thinking").asText());
            case "signature_delta" -> { }
            case "input_json_delta" -> {
              assertThat(FrontClient.text(block, "type")).isEqualTo("tool_use");
              partialJson.get(open).append(d.path("partial_json").asText());
            }
            default -> throw new AssertionError("unexpected delta " + d);
          }
        }
        case "content_block_stop" -> {
          assertThat(data.path("index").asInt()).as("the stop of the open block").isEqualTo(open);
          ObjectNode block = blocks.get(open);
          if ("tool_use".equals(FrontClient.text(block, "type")) && partialJson.get(open).length() > 0) {
            block.set("input", FrontClient.parse(partialJson.get(open).toString()));
          }
          open = -1;
        }
        case "message_delta" -> {
          assertThat(open).as("a block is still open at message_delta").isEqualTo(-1);
          delta = true;
          stopReason = FrontClient.text(data.path("delta"), "stop_reason");
          ObjectNode merged = usage;
          data.path("usage").fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
        }
        case "message_stop" -> {
          assertThat(delta).as("message_delta before message_stop").isTrue();
          stopped = true;
        }
        case "error" -> terminalError = kind(FrontClient.text(data.path("error"), "type"));
        default -> throw new AssertionError("unexpected event " + event);
      }
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    List<ToolCallOut> calls = new ArrayList<>();
    for (ObjectNode block : blocks) {
      switch (String.valueOf(FrontClient.text(block, "type"))) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> reasoning.append(block.path("thinking").asText());
        case "tool_use" -> calls.add(new ToolCallOut(FrontClient.text(block, "id"), FrontClient.text(block, "name"),
            block.path("input")));
        case "redacted_thinking" -> {
          // encrypted reasoning an Anthropic provider's answer carries through: nothing to read
        }
        default -> throw new AssertionError("unexpected content block " + block);
      }
    }
    return new Answer(200, text.toString(), reasoning.toString(), calls, delta ? finish(stopReason) : null,
        usage == null ? null : usage(usage, null), null, null, terminalError, stopped, List.of(), false);
  }

  private static UsageOut usage(JsonNode u, Long reasoning) {
    long cacheRead = u.path("cache_read_input_tokens").asLong(0);
    long cacheWrite = u.path("cache_creation_input_tokens").asLong(0);
    return new UsageOut(u.path("input_tokens").asLong() + cacheRead + cacheWrite, u.path("output_tokens").asLong(),
        cacheRead, reasoning);
  }
}
