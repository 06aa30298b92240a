package dev.sluice.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.CachedChatConfig;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cached answer replayed to streaming requests, read back event by event by strict parsers of each
 * front's grammar: OpenAI's {@code data:} chunks ending in {@code [DONE]}, and Anthropic's event
 * stream rebuilt the way its SDKs do.
 */
class CachedReplayEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static final String TOOL_COMPLETION = """
      {"id":"chatcmpl-tool","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini",
       "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1",
       "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
       "finish_reason":"tool_calls"}],
       "usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}""";

  private String config() {
    return CachedChatConfig.oneKey(upstream.baseUrl());
  }

  private static HttpResponse<String> post(TestGateway gw, String path, String body) throws Exception {
    return gw.http().send(gw.request(path).header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** OpenAI's stream grammar, strictly: only {@code data: <json>} events, then {@code data: [DONE]}, nothing after. */
  private static List<JsonNode> openAiChunks(String body) {
    assertThat(body).endsWith("data: [DONE]\n\n");
    String[] events = body.substring(0, body.length() - 2).split("\n\n", -1);
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < events.length; i++) {
      String e = events[i];
      assertThat(e).as("event %d is one data line", i).startsWith("data: ").doesNotContain("\n");
      if (i == events.length - 1) {
        assertThat(e).isEqualTo("data: [DONE]");
      } else {
        JsonNode chunk = FrontTestSupport.json(e.substring(6));
        assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
        out.add(chunk);
      }
    }
    return out;
  }

  @Test
  void aCachedTextAnswerReplaysAsAnOpenAiStreamChunkByChunk() throws Exception {
    upstream.enqueue(FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      String whole = "{\"model\":\"chat\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
      assertThat(post(gw, "/v1/chat/completions", whole).statusCode()).isEqualTo(200);
      HttpResponse<String> res = post(gw, "/v1/chat/completions", whole.replace("{\"model\"",
          "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\""));
      assertThat(res.headers().firstValue("x-sluice-cache")).hasValue("hit");
      assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
      List<JsonNode> chunks = openAiChunks(res.body());
      assertThat(chunks).hasSize(4);
      for (JsonNode c : chunks) {
        assertThat(c.get("id").asText()).isEqualTo("chatcmpl-abc123");
        assertThat(c.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
      }
      JsonNode role = chunks.get(0).get("choices").get(0);
      assertThat(role.get("delta").get("role").asText()).isEqualTo("assistant");
      assertThat(role.get("delta").get("content").asText()).isEmpty();
      assertThat(role.get("finish_reason").isNull()).isTrue();
      assertThat(chunks.get(1).get("choices").get(0).get("delta").get("content").asText())
          .isEqualTo("Hello! How can I help?");
      JsonNode finish = chunks.get(2).get("choices").get(0);
      assertThat(finish.get("delta").size()).isZero();
      assertThat(finish.get("finish_reason").asText()).isEqualTo("stop");
      JsonNode usage = chunks.get(3);
      assertThat(usage.get("choices")).isEmpty();
      assertThat(usage.get("usage").get("prompt_tokens").asLong()).isEqualTo(19);
      assertThat(usage.get("usage").get("completion_tokens").asLong()).isEqualTo(10);
      assertThat(usage.get("usage").get("total_tokens").asLong()).isEqualTo(29);

      // Without include_usage there is no usage chunk.
      HttpResponse<String> plain = post(gw, "/v1/chat/completions", whole.replace("{\"model\"", "{\"stream\":true,\"model\""));
      assertThat(plain.headers().firstValue("x-sluice-cache")).hasValue("hit");
      assertThat(openAiChunks(plain.body())).hasSize(3);
      assertThat(upstream.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void aCachedToolCallReplaysWithItsIdNameAndArguments() throws Exception {
    upstream.enqueue(FakeResponse.json(200, TOOL_COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      String whole = "{\"model\":\"chat\",\"max_tokens\":100,\"temperature\":0,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
          + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}";
      post(gw, "/v1/chat/completions", whole);
      HttpResponse<String> res = post(gw, "/v1/chat/completions", whole.replace("{\"model\"", "{\"stream\":true,\"model\""));
      assertThat(res.headers().firstValue("x-sluice-cache")).hasValue("hit");
      List<JsonNode> chunks = openAiChunks(res.body());
      assertThat(chunks).hasSize(3); // role, the tool call, finish
      JsonNode call = chunks.get(1).get("choices").get(0).get("delta").get("tool_calls").get(0);
      assertThat(call.get("index").asInt()).isZero();
      assertThat(call.get("id").asText()).isEqualTo("call_1");
      assertThat(call.get("type").asText()).isEqualTo("function");
      assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
      assertThat(call.get("function").get("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
      assertThat(chunks.get(2).get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");

      // The same answer, to the Anthropic front, streamed: a tool_use block with its input.
      String messages = "{\"model\":\"chat\",\"max_tokens\":100,\"temperature\":0,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
          + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}]}";
      HttpResponse<String> anthropic = post(gw, "/v1/messages", messages);
      assertThat(anthropic.statusCode()).as(upstream.received().toString()).isEqualTo(200);
      assertThat(anthropic.headers().firstValue("x-sluice-cache")).hasValue("hit");
      JsonNode message = AnthropicStreamAccumulator.rebuild(events(anthropic.body()));
      JsonNode block = message.get("content").get(0);
      assertThat(block.get("type").asText()).isEqualTo("tool_use");
      assertThat(block.get("name").asText()).isEqualTo("get_weather");
      assertThat(block.get("input").get("city").asText()).isEqualTo("Paris");
      assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
      assertThat(upstream.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void aCachedAnswerReplaysAsAnAnthropicStreamTheSdkGrammarAccepts() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()));
    try (TestGateway gw = TestGateway.start(config())) {
      String body = "{\"model\":\"chat\",\"max_tokens\":100,\"temperature\":0,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
      HttpResponse<String> miss = post(gw, "/v1/messages", body);
      assertThat(miss.headers().firstValue("x-sluice-cache")).hasValue("miss");
      HttpResponse<String> hit = post(gw, "/v1/messages", body);
      assertThat(hit.headers().firstValue("x-sluice-cache")).hasValue("hit");
      List<FrontTestSupport.Event> events = events(hit.body());
      assertThat(FrontTestSupport.names(events)).containsExactly("message_start", "ping", "content_block_start",
          "content_block_delta", "content_block_stop", "message_delta", "message_stop");
      JsonNode message = AnthropicStreamAccumulator.rebuild(events);
      JsonNode expected = AnthropicStreamAccumulator.rebuild(events(miss.body()));
      assertThat(message.get("content")).isEqualTo(expected.get("content"));
      assertThat(message.get("content").get(0).get("text").asText()).isEqualTo("Hello!");
      assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(message.get("usage").get("output_tokens").asLong()).isEqualTo(3);
      assertThat(message.get("usage").get("input_tokens").asLong()).isEqualTo(9);

      // The same answer whole, to the Anthropic front and to the OpenAI front.
      HttpResponse<String> whole = post(gw, "/v1/messages", body.replace("\"stream\":true,", ""));
      assertThat(whole.headers().firstValue("x-sluice-cache")).hasValue("hit");
      JsonNode m = FrontTestSupport.json(whole.body());
      assertThat(m.get("type").asText()).isEqualTo("message");
      assertThat(m.get("content").get(0).get("text").asText()).isEqualTo("Hello!");
      assertThat(upstream.requestCount()).isEqualTo(1);
    }
  }

  /** The body split into events, each checked as one {@code event:} + {@code data:} pair. */
  private static List<FrontTestSupport.Event> events(String body) {
    assertThat(body).endsWith("\n\n");
    List<Buffer> writes = new ArrayList<>();
    for (String e : body.substring(0, body.length() - 2).split("\n\n", -1)) {
      writes.add(Buffer.buffer(e + "\n\n"));
    }
    return FrontTestSupport.events(writes);
  }
}
