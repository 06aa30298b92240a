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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAI Chat Completions front: Bearer auth, {@code data:} chunks ending in {@code [DONE]}. */
final class OpenAiFrontClient implements FrontClient {

  @Override
  public String path() {
    return "/v1/chat/completions";
  }

  @Override
  public HttpRequest.Builder authenticate(HttpRequest.Builder request, String key) {
    return request.header("authorization", "Bearer " + key);
  }

  @Override
  public String requestIdHeader() {
    return null;
  }

  @Override
  public String encode(ChatSpec spec) {
    ObjectNode o = JSON.createObjectNode().put("model", spec.model());
    ArrayNode messages = o.putArray("messages");
    if (spec.system() != null) {
      messages.addObject().put("role", "system").put("content", spec.system());
    }
    for (ChatSpec.Turn turn : spec.turns()) {
      if (turn instanceof UserText t) {
        messages.addObject().put("role", "user").put("content", t.text());
      } else if (turn instanceof UserImage i) {
        ArrayNode parts = messages.addObject().put("role", "user").putArray("content");
        parts.addObject().put("type", "text").put("text", i.text());
        parts.addObject().put("type", "image_url").putObject("image_url")
            .put("url", "data:" + i.mediaType() + ";base64," + i.base64());
      } else if (turn instanceof AssistantToolCalls a) {
        ObjectNode m = messages.addObject().put("role", "assistant");
        if (a.text() == null) {
          m.putNull("content");
        } else {
          m.put("content", a.text());
        }
        ArrayNode calls = m.putArray("tool_calls");
        for (Call c : a.calls()) {
          calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
              .put("name", c.name()).put("arguments", c.argumentsJson());
        }
      } else if (turn instanceof ToolResults r) {
        for (Result result : r.results()) {
          messages.addObject().put("role", "tool").put("tool_call_id", result.callId()).put("content", result.content());
        }
      }
    }
    o.put("max_tokens", spec.maxTokens());
    if (spec.stream()) {
      o.put("stream", true);
      if (spec.includeUsage()) {
        o.putObject("stream_options").put("include_usage", true);
      }
    }
    if (!spec.tools().isEmpty()) {
      ArrayNode tools = o.putArray("tools");
      for (ChatSpec.Tool t : spec.tools()) {
        tools.addObject().put("type", "function").putObject("function").put("name", t.name())
            .put("description", t.description()).set("parameters", t.schema());
      }
    }
    if (spec.jsonSchema() != null) {
      ObjectNode rf = o.putObject("response_format").put("type", "json_schema");
      rf.putObject("json_schema").put("name", "answer").put("strict", true).set("schema", spec.jsonSchema());
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
    JsonNode e = body.get("error");
    assertThat(e).as("OpenAI error shape {\"error\":{...}}: %s", res.body()).isNotNull();
    assertThat(e.has("message") && e.has("type") && e.has("param") && e.has("code"))
        .as("error has message, type, param, code: %s", res.body()).isTrue();
    return new Answer(res.statusCode(), "", "", List.of(), null, null, kind(e), FrontClient.text(e, "message"),
        null, false, List.of(), false);
  }

  /** OpenAI-front error type (and code) → the normalized kind. */
  static String kind(JsonNode e) {
    String type = String.valueOf(FrontClient.text(e, "type"));
    String code = String.valueOf(FrontClient.text(e, "code"));
    return switch (type) {
      case "invalid_request_error" -> "model_not_found".equals(code) || "not_found".equals(code) ? "not_found" : "invalid_request";
      case "authentication_error" -> "authentication";
      case "rate_limit_error" -> "rate_limited";
      case "upstream_error" -> "upstream_failed";
      case "timeout_error" -> "timeout";
      case "server_error" -> "upstream_overloaded".equals(code) ? "overloaded" : "other";
      default -> "other";
    };
  }

  private static Answer whole(HttpResponse<String> res) {
    JsonNode body = FrontClient.parse(res.body());
    assertThat(FrontClient.text(body, "object")).isEqualTo("chat.completion");
    JsonNode choice = body.path("choices").path(0);
    JsonNode message = choice.path("message");
    assertThat(FrontClient.text(message, "role")).isEqualTo("assistant");
    List<ToolCallOut> calls = new ArrayList<>();
    for (JsonNode c : message.path("tool_calls")) {
      assertThat(FrontClient.text(c, "type")).isEqualTo("function");
      calls.add(new ToolCallOut(FrontClient.text(c, "id"), FrontClient.text(c.path("function"), "name"),
          arguments(FrontClient.text(c.path("function"), "arguments"))));
    }
    String text = FrontClient.text(message, "content");
    String reasoning = FrontClient.text(message, "reasoning_content");
    return new Answer(200, text == null ? "" : text, reasoning == null ? "" : reasoning, calls,
        FrontClient.text(choice, "finish_reason"), usage(body.get("usage")), null, null, null, false, List.of(), false);
  }

  private static Answer stream(HttpResponse<String> res) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    Map<Integer, String[]> calls = new LinkedHashMap<>(); // index → {id, name, arguments}
    List<Integer> indexes = new ArrayList<>();
    String finish = null;
    UsageOut usage = null;
    boolean usageChunk = false;
    boolean done = false;
    String terminalError = null;
    for (String event : res.body().split("\n\n")) {
      if (event.isBlank()) {
        continue;
      }
      assertThat(done || terminalError != null).as("an event after the end of the stream: %s", event).isFalse();
      assertThat(event).as("one data: line per event").startsWith("data: ").doesNotContain("\n");
      String data = event.substring("data: ".length());
      if (data.equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonNode chunk = FrontClient.parse(data);
      if (chunk.has("error")) {
        terminalError = kind(chunk.get("error"));
        continue;
      }
      JsonNode u = chunk.get("usage");
      boolean annotationOnly = chunk.path("choices").isEmpty() && (u == null || u.isNull());
      if (!annotationOnly) { // Azure opens streams with a prompt_filter_results chunk of object ""
        assertThat(FrontClient.text(chunk, "object")).as(data).isEqualTo("chat.completion.chunk");
      }
      if (u != null && !u.isNull()) {
        assertThat(chunk.path("choices")).as("the usage chunk has no choices").isEmpty();
        usageChunk = true;
        usage = usage(u);
      }
      for (JsonNode choice : chunk.path("choices")) {
        assertThat(choice.path("index").asInt()).isZero();
        JsonNode delta = choice.path("delta");
        append(text, delta, "content");
        append(reasoning, delta, "reasoning_content");
        for (JsonNode tc : delta.path("tool_calls")) {
          int index = tc.path("index").asInt(-1);
          String[] call = calls.computeIfAbsent(index, i -> {
            indexes.add(i);
            return new String[] {null, null, ""};
          });
          if (tc.hasNonNull("id")) {
            call[0] = tc.get("id").asText();
          }
          if (tc.path("function").hasNonNull("name")) {
            call[1] = tc.path("function").get("name").asText();
          }
          if (tc.path("function").hasNonNull("arguments")) {
            call[2] += tc.path("function").get("arguments").asText();
          }
        }
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.get("finish_reason").asText();
        }
      }
    }
    List<ToolCallOut> out = new ArrayList<>();
    calls.values().forEach(c -> out.add(new ToolCallOut(c[0], c[1], arguments(c[2]))));
    return new Answer(200, text.toString(), reasoning.toString(), out, finish, usage, null, null, terminalError, done,
        indexes, usageChunk);
  }

  private static void append(StringBuilder sb, JsonNode delta, String field) {
    JsonNode v = delta.get(field);
    if (v != null && !v.isNull()) {
      sb.append(v.asText());
    }
  }

  private static JsonNode arguments(String text) {
    return text == null || text.isEmpty() ? JSON.createObjectNode() : FrontClient.parse(text);
  }

  private static UsageOut usage(JsonNode u) {
    if (u == null || u.isNull()) {
      return null;
    }
    return new UsageOut(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(),
        u.path("prompt_tokens_details").path("cached_tokens").asLong(0),
        u.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
  }
}
