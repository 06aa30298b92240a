package dev.sluice.server.anthropic;

import static dev.sluice.server.anthropic.FrontTestSupport.front;
import static dev.sluice.server.anthropic.FrontTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ApiError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicErrorBodyTest {

  @ParameterizedTest
  @CsvSource({
      "400, invalid_request_error",
      "401, authentication_error",
      "402, billing_error",
      "403, permission_error",
      "404, not_found_error",
      "413, request_too_large",
      "422, invalid_request_error",
      "429, rate_limit_error",
      "500, api_error",
      "502, api_error",
      "503, overloaded_error",
      "504, api_error",
      "529, overloaded_error"})
  void theStatusDecidesAnthropicsErrorType(int status, String type) {
    ApiError error = new ApiError(status, "whatever", "code", null, "went wrong (" + status + ")");

    assertThat(json(front().errorBody(error))).isEqualTo(json(
        "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"went wrong (" + status + ")\"}}"));
  }

  @Test
  void aModelThatIsNotConfiguredIsANotFoundError() {
    assertThat(json(front().errorBody(ApiError.modelNotFound("claude-x"))).get("error").get("type").asText())
        .isEqualTo("not_found_error");
  }

  @Test
  void theEndpointIsNamedMessages() {
    assertThat(front().endpoint()).isEqualTo("messages");
  }
}
