package dev.sluice.provider.gemini;

import static dev.sluice.provider.gemini.GeminiTestSupport.adapter;
import static dev.sluice.provider.gemini.GeminiTestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiErrorClassificationTest {
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  private static UpstreamError classify(int status, String fixture) {
    return adapter().classify(status, NO_HEADERS, fixture(fixture));
  }

  @ParameterizedTest
  @CsvSource({
      "400, error-400-invalid-argument.json, BAD_REQUEST",
      "400, error-400-context.json, CONTEXT_LENGTH_EXCEEDED",
      "400, error-400-api-key.json, AUTH",
      "401, error-401.json, AUTH",
      "403, error-403.json, AUTH",
      "404, error-404.json, NOT_FOUND",
      "429, error-429.json, RATE_LIMITED",
      "500, error-500.json, SERVER_ERROR",
      "503, error-503.json, OVERLOADED"})
  void googleErrorsAreClassifiedByStatusAndText(int status, String fixture, ErrorClass expected) {
    UpstreamError e = classify(status, fixture);

    assertThat(e.errorClass()).isEqualTo(expected);
    assertThat(e.status()).isEqualTo(status);
  }

  @Test
  void credentialFailuresNeverPassOnTheProvidersTextWhichMayQuoteTheKey() {
    for (String fixture : new String[] {"error-400-api-key.json", "error-401.json", "error-403.json"}) {
      UpstreamError e = classify(fixture.equals("error-400-api-key.json") ? 400 : 401, fixture);
      assertThat(e.message()).as(fixture).doesNotContain("AIza").doesNotContain("API key not valid")
          .contains("credentials");
    }
  }

  @Test
  void otherErrorsKeepGooglesMessageSoTheClientCanFixTheRequest() {
    assertThat(classify(400, "error-400-context.json").message())
        .isEqualTo("The input token count (1197842) exceeds the maximum number of tokens allowed (1048576).");
    assertThat(classify(404, "error-404.json").message()).startsWith("models/gemini-9.0-ultra is not found");
  }

  @Test
  void aRateLimitWaitsAsLongAsGooglesRetryInfoSays() {
    assertThat(classify(429, "error-429.json").retryAfter()).isEqualTo(Duration.ofSeconds(17));
    assertThat(adapter().classify(429, NO_HEADERS, Buffer.buffer("""
        {"error": {"code": 429, "message": "slow down", "status": "RESOURCE_EXHAUSTED", "details": [
          {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}]}}""")).retryAfter())
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aRetryAfterHeaderTakesPrecedenceOverTheBody() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "3");

    assertThat(adapter().classify(429, headers, fixture("error-429.json")).retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(adapter().classify(503, headers, fixture("error-503.json")).retryAfter()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aBodyThatIsNotGooglesShapeIsClassifiedByStatusAlone() {
    assertThat(adapter().classify(502, NO_HEADERS, Buffer.buffer("<html>Bad Gateway</html>")).errorClass())
        .isEqualTo(ErrorClass.SERVER_ERROR);
    assertThat(adapter().classify(429, NO_HEADERS, Buffer.buffer("")).errorClass())
        .isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(adapter().classify(400, NO_HEADERS, Buffer.buffer("[{\"error\": {\"code\": 400, \"message\":"
        + " \"Request payload size exceeds the limit\", \"status\": \"INVALID_ARGUMENT\"}}]")).message())
        .isEqualTo("Request payload size exceeds the limit");
  }
}
