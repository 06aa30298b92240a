package dev.sluice.provider.anthropic;

import static dev.sluice.provider.anthropic.AnthropicTestSupport.ADAPTER;
import static dev.sluice.provider.anthropic.AnthropicTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {

  private static UpstreamError classify(int status, String fixture) {
    return classify(status, MultiMap.caseInsensitiveMultiMap(), fixture);
  }

  private static UpstreamError classify(int status, MultiMap headers, String fixture) {
    return ADAPTER.classify(status, headers, Buffer.buffer(fixture("errors/" + fixture)));
  }

  @Test
  void promptTooLongIsAContextLengthError() {
    UpstreamError e = classify(400, "prompt_too_long.json");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.CONTEXT_LENGTH_EXCEEDED);
    assertThat(e.message()).contains("prompt is too long");
    assertThat(e.toApiError().status()).isEqualTo(400);
  }

  @Test
  void otherInvalidRequestsAreBadRequestsWithTheProvidersMessage() {
    UpstreamError e = classify(400, "invalid_request.json");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.BAD_REQUEST);
    assertThat(e.errorClass().isTransient()).isFalse();
    assertThat(e.message()).contains("tool_result");
    assertThat(e.status()).isEqualTo(400);
  }

  @Test
  void aRequestTooLargeIsABadRequest() {
    UpstreamError e = ADAPTER.classify(413, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(
        "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"Request exceeds the maximum allowed number of bytes.\"}}"));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.BAD_REQUEST);
    assertThat(e.toApiError().status()).isEqualTo(413);
  }

  @Test
  void anAuthenticationFailureNeverRepeatsTheProvidersText() {
    UpstreamError e = classify(401, "authentication.json");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.AUTH);
    assertThat(e.message()).doesNotContain("x-api-key").contains("401");
    assertThat(classify(403, "authentication.json").errorClass()).isEqualTo(ErrorClass.AUTH);
  }

  @Test
  void anExhaustedCreditBalanceIsACredentialsProblemNotTheClients() {
    UpstreamError e = classify(400, "credit_balance.json");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.AUTH);
    assertThat(e.message()).doesNotContain("Plans & Billing");
  }

  @Test
  void anUnknownModelIsNotFound() {
    assertThat(classify(404, "not_found.json").errorClass()).isEqualTo(ErrorClass.NOT_FOUND);
  }

  @Test
  void rateLimitsCarryTheRetryAfterHeader() {
    UpstreamError e = classify(429, MultiMap.caseInsensitiveMultiMap().add("retry-after", "17"), "rate_limit.json");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17));
    assertThat(e.message()).contains("rate limit");
    assertThat(classify(429, "rate_limit.json").retryAfter()).isNull();
  }

  @Test
  void serverErrorsAreTransient() {
    UpstreamError e = classify(500, "api_error.json");

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(e.errorClass().isTransient()).isTrue();
    assertThat(e.message()).isEqualTo("Internal server error");
  }

  @Test
  void overloadedIsRecognisedBy529AndByItsType() {
    assertThat(classify(529, "overloaded.json").errorClass()).isEqualTo(ErrorClass.OVERLOADED);
    assertThat(classify(500, "overloaded.json").errorClass()).isEqualTo(ErrorClass.OVERLOADED);
    assertThat(classify(529, "overloaded.json").toApiError().status()).isEqualTo(503);
  }

  @Test
  void aBodyThatIsNotJsonStillClassifiesByStatus() {
    UpstreamError e = ADAPTER.classify(502, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("<html>Bad Gateway</html>"));

    assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(ADAPTER.classify(418, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("")).errorClass())
        .isEqualTo(ErrorClass.BAD_REQUEST);
  }
}
