package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.FrontTestSupport.front;
import static dev.sluice.server.anthropic.FrontTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ApiError;
import dev.sluice.pipeline.FrontDoor.FrontDoorException;
import io.vertx.core.buffer.Buffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicRequestValidationTest {
  private static final String USER_HI = "{\"role\":\"user\",\"content\":\"hi\"}";

  /** A valid request with {@code messages} replaced. */
  private static String withMessages(String... messages) {
    return "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[" + String.join(",", messages) + "]}";
  }

  /** A valid request with one more top-level field. */
  private static String withField(String field) {
    return "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[" + USER_HI + "]," + field + "}";
  }

  private static String userBlocks(String blocks) {
    return "{\"role\":\"user\",\"content\":[" + blocks + "]}";
  }

  private static String assistantBlocks(String blocks) {
    return "{\"role\":\"assistant\",\"content\":[" + blocks + "]}";
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of("not JSON", "{\"model\":", null),
        Arguments.of("not an object", "[1,2]", null),
        Arguments.of("missing model", "{\"max_tokens\":10,\"messages\":[" + USER_HI + "]}", "model"),
        Arguments.of("model not a string", "{\"model\":7,\"max_tokens\":10,\"messages\":[" + USER_HI + "]}", "model"),
        Arguments.of("missing max_tokens", "{\"model\":\"m\",\"messages\":[" + USER_HI + "]}", "max_tokens"),
        Arguments.of("max_tokens zero", "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[" + USER_HI + "]}", "max_tokens"),
        Arguments.of("max_tokens not an integer", "{\"model\":\"m\",\"max_tokens\":\"10\",\"messages\":[" + USER_HI + "]}",
            "max_tokens"),
        Arguments.of("missing messages", "{\"model\":\"m\",\"max_tokens\":10}", "messages"),
        Arguments.of("empty messages", withMessages(), "messages"),
        Arguments.of("messages not a list", "{\"model\":\"m\",\"max_tokens\":10,\"messages\":{}}", "messages"),
        Arguments.of("message not an object", withMessages("\"hi\""), "messages.0"),
        Arguments.of("missing role", withMessages("{\"content\":\"hi\"}"), "messages.0.role"),
        Arguments.of("system role", withMessages("{\"role\":\"system\",\"content\":\"hi\"}"), "messages.0.role"),
        Arguments.of("tool role", withMessages(USER_HI, "{\"role\":\"tool\",\"content\":\"hi\"}"), "messages.1.role"),
        Arguments.of("missing content", withMessages("{\"role\":\"user\"}"), "messages.0.content"),
        Arguments.of("content a number", withMessages("{\"role\":\"user\",\"content\":3}"), "messages.0.content"),
        Arguments.of("block without type", withMessages(USER_HI, assistantBlocks("{\"text\":\"x\"}")),
            "messages.1.content.0.type"),
        Arguments.of("unknown block type", withMessages(userBlocks("{\"type\":\"video\",\"url\":\"x\"}")),
            "messages.0.content.0.type"),
        Arguments.of("tool_use in a user turn", withMessages(userBlocks(
            "{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}")),
            "messages.0.content.1.type"),
        Arguments.of("tool_result in an assistant turn", withMessages(USER_HI, assistantBlocks(
            "{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}")), "messages.1.content.0.type"),
        Arguments.of("image in an assistant turn", withMessages(USER_HI, assistantBlocks(
            "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/y.png\"}}")), "messages.1.content.0.type"),
        Arguments.of("text block without text", withMessages(userBlocks("{\"type\":\"text\"}")),
            "messages.0.content.0.text"),
        Arguments.of("image without source", withMessages(userBlocks("{\"type\":\"image\"}")),
            "messages.0.content.0.source"),
        Arguments.of("image with an unknown source type", withMessages(userBlocks(
            "{\"type\":\"image\",\"source\":{\"type\":\"ftp\",\"url\":\"x\"}}")), "messages.0.content.0.source.type"),
        Arguments.of("image from the Files API", withMessages(userBlocks(
            "{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_01\"}}")), "messages.0.content.0.source.type"),
        Arguments.of("base64 image without media_type", withMessages(userBlocks(
            "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"AAAA\"}}")),
            "messages.0.content.0.source.media_type"),
        Arguments.of("document from a URL", withMessages(userBlocks(
            "{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"https://x/a.pdf\"}}")),
            "messages.0.content.0.source.type"),
        Arguments.of("tool_use without id", withMessages(USER_HI, assistantBlocks(
            "{\"type\":\"tool_use\",\"name\":\"f\",\"input\":{}}")), "messages.1.content.0.id"),
        Arguments.of("tool_use input not an object", withMessages(USER_HI, assistantBlocks(
            "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":\"{}\"}")), "messages.1.content.0.input"),
        Arguments.of("tool_result without tool_use_id", withMessages(userBlocks("{\"type\":\"tool_result\",\"content\":\"x\"}")),
            "messages.0.content.0.tool_use_id"),
        Arguments.of("tool_result with a bad inner block", withMessages(userBlocks(
            "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"tool_use\"}]}")),
            "messages.0.content.0.content.0.type"),
        Arguments.of("tool_result is_error not a boolean", withMessages(userBlocks(
            "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"is_error\":\"yes\"}")), "messages.0.content.0.is_error"),
        Arguments.of("system a number", withField("\"system\":5"), "system"),
        Arguments.of("system block not text", withField("\"system\":[{\"type\":\"image\"}]"), "system.0.type"),
        Arguments.of("tool without input_schema", withField("\"tools\":[{\"name\":\"f\"}]"), "tools.0.input_schema"),
        Arguments.of("tool without name", withField("\"tools\":[{\"input_schema\":{\"type\":\"object\"}}]"), "tools.0.name"),
        Arguments.of("server tool", withField("\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]"),
            "tools.0.type"),
        Arguments.of("tool_choice of an unknown type", withField("\"tool_choice\":{\"type\":\"required\"}"),
            "tool_choice.type"),
        Arguments.of("tool_choice tool without name", withField("\"tool_choice\":{\"type\":\"tool\"}"), "tool_choice.name"),
        Arguments.of("stop sequence not a string", withField("\"stop_sequences\":[\"a\",1]"), "stop_sequences.1"),
        Arguments.of("stream not a boolean", withField("\"stream\":\"yes\""), "stream"),
        Arguments.of("temperature not a number", withField("\"temperature\":\"hot\""), "temperature"),
        Arguments.of("temperature beyond a double", withField("\"temperature\":0.21e1000000"), "temperature"),
        Arguments.of("top_p beyond a double", withField("\"top_p\":-1e400"), "top_p"),
        Arguments.of("top_k not an integer", withField("\"top_k\":0.5"), "top_k"),
        Arguments.of("metadata user_id not a string", withField("\"metadata\":{\"user_id\":42}"), "metadata.user_id"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void anInvalidRequestIsA400NamingTheField(String why, String body, String param) {
    FrontDoorException e = catchThrowableOfType(FrontDoorException.class, () -> front().parse(Buffer.buffer(body)));

    assertThat(e).as(why).isNotNull();
    ApiError error = e.error();
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.type()).isEqualTo("invalid_request_error");
    assertThat(error.param()).isEqualTo(param);
    if (param != null) {
      assertThat(error.message()).startsWith(param + ": ");
    }
    JsonNode body400 = json(front().errorBody(error));
    assertThat(body400.get("type").asText()).isEqualTo("error");
    assertThat(body400.get("error").get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body400.get("error").get("message").asText()).isEqualTo(error.message());
  }
}
