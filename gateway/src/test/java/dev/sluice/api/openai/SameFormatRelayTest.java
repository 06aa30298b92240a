package dev.sluice.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same-format relay sends what the encoder would send: for every body it accepts, the patched
 * bytes parse to the encoder's tree; bodies the encoder would change are left to the encoder.
 */
class SameFormatRelayTest {
  static final List<String> RELAYED = List.of(
      "{\"model\":\"bench-canned\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
          + "{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}],\"max_tokens\":64}",
      // field order, whitespace, a nested "model" and escapes are the client's own
      "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"the \\\"model\\\": \\\"x\\\" {[\"} ],\n \"model\" :\t\"m\","
          + " \"metadata\": {\"model\": \"keep-me\"}, \"temperature\": 0.5, \"top_k\": 3 }",
      "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
          + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"low\"}},"
          + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAA\",\"format\":\"wav\"}}]}]}",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"w?\"},{\"role\":\"assistant\",\"content\":null,"
          + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]},"
          + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}],"
          + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\",\"description\":\"d\","
          + "\"parameters\":{\"type\":\"object\"},\"strict\":true}}],"
          + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"w\"}},\"parallel_tool_calls\":false,"
          + "\"response_format\":{\"type\":\"json_object\"},\"user\":\"u\",\"n\":1,\"stop\":[\"x\"],\"seed\":7}");

  static final List<String> ENCODED = List.of(
      // the encoder asks a stream for usage, whatever the client said
      "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      // the encoder drops stream_options off a stream, nulls, and fields it does not model in a message
      "{\"model\":\"m\",\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"m\",\"temperature\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"}}]}",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{}}]}]}",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":null,\"content\":\"hi\"}]}",
      // it writes content: null where there was none, image_url as an object, arguments as text
      "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
          + "\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]}]}",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"https://x\"}]}]}",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
          + "\"function\":{\"name\":\"w\",\"arguments\":{\"a\":1}}}]}]}",
      // and a type on tools that have none
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"function\":{\"name\":\"w\"}}]}");

  @Test
  void aRelayedBodyIsWhatTheEncoderWouldSendWithTheTargetsModel() throws Exception {
    for (String body : RELAYED) {
      JsonNode tree = Json.parse(Buffer.buffer(body));
      assertThat(SameFormatRelay.lossless(tree)).as(body).isTrue();
      Buffer patched = SameFormatRelay.withModel(Buffer.buffer(body), "gpt-4o-mini", tree.path("stream").asBoolean());
      assertThat(patched).as(body).isNotNull();
      JsonNode encoded = OpenAiRequestCodec.encode(OpenAiRequestCodec.decode(tree).withModel("gpt-4o-mini"), true);
      assertThat(Json.parse(patched)).as(body).isEqualTo(encoded);
      // only the model's value changed: the rest is the client's own bytes
      assertThat(patched.toString()).isEqualTo(body.replace("\"m\",", "\"gpt-4o-mini\",")
          .replace("\"bench-canned\"", "\"gpt-4o-mini\""));
    }
  }

  @Test
  void aStreamWithoutStreamOptionsIsRelayedAskingForUsageAsTheEncoderDoes() throws Exception {
    for (String body : List.of(
        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\" : true , \"model\" : \"m\" }",
        // a stream_options member below the top level is not the request's
        "{\"model\":\"m\",\"stream\":true,\"metadata\":{\"stream_options\":\"x\"},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"stream_options\"}]}")) {
      JsonNode tree = Json.parse(Buffer.buffer(body));
      assertThat(SameFormatRelay.lossless(tree)).as(body).isTrue();
      Buffer patched = SameFormatRelay.withModel(Buffer.buffer(body), "gpt-4o-mini", true);
      JsonNode encoded = OpenAiRequestCodec.encode(OpenAiRequestCodec.decode(tree).withModel("gpt-4o-mini"), true);
      assertThat(Json.parse(patched)).as(body).isEqualTo(encoded);
      assertThat(encoded.path("stream_options").path("include_usage").asBoolean()).isTrue();
      // the client's bytes, with the usage request written right after the model
      assertThat(patched.toString()).isEqualTo(body.replaceFirst("\"m\"",
          "\"gpt-4o-mini\",\"stream_options\":{\"include_usage\":true}"));
    }
    // a stream that asked for usage already, and a body that is not a stream, get nothing added
    String asked = RELAYED.get(2);
    assertThat(SameFormatRelay.withModel(Buffer.buffer(asked), "m", true)).hasToString(asked);
    String plain = "{\"model\":\"a\",\"messages\":[]}";
    assertThat(SameFormatRelay.withModel(Buffer.buffer(plain), "b", false)).hasToString("{\"model\":\"b\",\"messages\":[]}");
    // a top-level key written with escapes might be stream_options: left to the encoder
    assertThat(SameFormatRelay.withModel(Buffer.buffer("{\"model\":\"a\",\"stream_optio\\u006es\":{},\"messages\":[]}"),
        "b", true)).isNull();
  }

  @Test
  void bodiesTheEncoderWouldChangeAreLeftToIt() throws Exception {
    for (String body : ENCODED) {
      JsonNode tree = Json.parse(Buffer.buffer(body));
      OpenAiRequestCodec.decode(tree); // a valid request
      assertThat(SameFormatRelay.lossless(tree)).as(body).isFalse();
    }
  }

  @Test
  void theModelIsPatchedOnlyWhenThatIsSafe() {
    String body = "{\"model\":\"a\",\"messages\":[]}";
    assertThat(SameFormatRelay.withModel(Buffer.buffer(body), "b", false)).hasToString("{\"model\":\"b\",\"messages\":[]}");
    assertThat(SameFormatRelay.withModel(Buffer.buffer(body), "needs \"escaping\"", false)).isNull();
    assertThat(SameFormatRelay.withModel(Buffer.buffer(body), "modèle", false)).isNull();
    assertThat(SameFormatRelay.withModel(Buffer.buffer("{\"model\":\"a\",\"model\":\"c\",\"messages\":[]}"), "b", false)).isNull();
    assertThat(SameFormatRelay.withModel(Buffer.buffer("{\"mod\\u0065l\":\"a\",\"messages\":[]}"), "b", false)).isNull();
    assertThat(SameFormatRelay.withModel(Buffer.buffer("{\"messages\":[{\"model\":\"a\"}]}"), "b", false)).isNull();
    // a slice of a larger buffer is read in place
    Buffer big = Buffer.buffer("xx" + body + "yy");
    assertThat(SameFormatRelay.withModel(big.slice(2, 2 + body.length()), "b", false))
        .hasToString("{\"model\":\"b\",\"messages\":[]}");
  }
}
