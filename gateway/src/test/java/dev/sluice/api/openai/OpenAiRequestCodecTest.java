package dev.sluice.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OpenAiRequestCodecTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static ChatCompletionRequest decode(String json) throws Exception {
    return OpenAiRequestCodec.decode(M.readTree(json));
  }

  @Test
  void typedFieldsAndUnknownParametersSurviveARoundTrip() throws Exception {
    String json = """
        {"model":"gpt-4o","messages":[
          {"role":"system","content":"s"},
          {"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}},
                                    {"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},
          {"role":"tool","tool_call_id":"c1","content":"42"}],
         "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"},"strict":true}}],
         "tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,
         "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}},
         "stop":"END","max_completion_tokens":100,"temperature":0.5,"top_p":0.9,"n":1,"user":"u1",
         "seed":3,"logprobs":true,"top_logprobs":2,"prediction":{"type":"content","content":"p"}}""";
    ChatCompletionRequest r = decode(json);
    assertThat(r.stop()).containsExactly("END");
    assertThat(r.toolChoice()).isEqualTo(ToolChoice.named("f"));
    assertThat(r.messages().get(1).content().parts()).hasSize(3);
    assertThat(r.extra()).containsKeys("seed", "logprobs", "top_logprobs", "prediction");

    JsonNode back = OpenAiRequestCodec.encode(r, false);
    JsonNode original = M.readTree(json);
    assertThat(back.get("messages")).isEqualTo(original.get("messages"));
    assertThat(back.get("tools")).isEqualTo(original.get("tools"));
    assertThat(back.get("tool_choice")).isEqualTo(original.get("tool_choice"));
    assertThat(back.get("prediction")).isEqualTo(original.get("prediction"));
    assertThat(back.get("stop").get(0).asText()).isEqualTo("END");
  }

  @Test
  void streamingEncodeCanForceUsageWithoutChangingTheRequest() throws Exception {
    ChatCompletionRequest r = decode("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(OpenAiRequestCodec.encode(r, true).get("stream_options").get("include_usage").asBoolean()).isTrue();
    assertThat(OpenAiRequestCodec.encode(r, false).has("stream_options")).isFalse();
    assertThat(r.includeUsage()).isNull();
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> decode("{\"messages\":[]}")).isInstanceOf(WireFormatException.class)
        .extracting(e -> ((WireFormatException) e).param()).isEqualTo("model");
    assertThatThrownBy(() -> decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}"))
        .extracting(e -> ((WireFormatException) e).param()).isEqualTo("messages[0].content");
    assertThatThrownBy(() -> decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}"))
        .extracting(e -> ((WireFormatException) e).param()).isEqualTo("temperature");
    assertThatThrownBy(() -> decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":\"sometimes\"}"))
        .extracting(e -> ((WireFormatException) e).param()).isEqualTo("tool_choice");
    assertThatThrownBy(() -> decode("[1,2]")).isInstanceOf(WireFormatException.class);
  }

  /** Paths are built only on error (JsonFields): each nested field must still be named in full. */
  @Test
  void nestedErrorsNameTheFullPath() {
    String ok = "{\"role\":\"user\",\"content\":\"x\"}";
    assertError("{\"model\":\"m\",\"messages\":[" + ok + ",{\"content\":\"x\"}]}", "messages[1].role",
        "'messages[1].role' is required");
    assertError("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":1}]}",
        "messages[0].name", "'messages[0].name' must be a string");
    assertError("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{}}]}]}",
        "messages[0].tool_calls[0].function.name", "'messages[0].tool_calls[0].function.name' is required");
    assertError("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":{}}]}",
        "messages[0].tool_calls", "'messages[0].tool_calls' must be an array");
    assertError("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}",
        "messages[0].content[0].text", "'messages[0].content[0].text' is required");
    assertError("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{}}]}]}", "messages[0].content[0].image_url.url", "'messages[0].content[0].image_url.url' is required");
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"stream_options\":{\"include_usage\":1}}",
        "stream_options.include_usage", "'stream_options.include_usage' must be a boolean");
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"stop\":[\"a\",2]}", "stop", "'stop[1]' must be a string");
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"tools\":[{\"function\":{\"name\":\"f\",\"strict\":1}}]}",
        "tools[0].function.strict", "'tools[0].function.strict' must be a boolean");
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"tool_choice\":{\"function\":{}}}",
        "tool_choice.function.name", "'tool_choice.function.name' is required");
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"response_format\":{}}",
        "response_format.type", "'response_format.type' is required");
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"max_tokens\":1.5}", "max_tokens",
        "'max_tokens' must be an integer");
    // A number too large for a double (found by the fuzzer): refused, not forwarded as "Infinity".
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"temperature\":0.21e1000000}", "temperature",
        "'temperature' must be a finite number");
    assertError("{\"model\":\"m\",\"messages\":[" + ok + "],\"top_p\":-1e400}", "top_p",
        "'top_p' must be a finite number");
  }

  private static void assertError(String json, String param, String message) {
    assertThatThrownBy(() -> decode(json)).isInstanceOf(WireFormatException.class)
        .hasMessage(message)
        .extracting(e -> ((WireFormatException) e).param()).isEqualTo(param);
  }
}
