package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BedrockErrorClassificationTest {

  private static UpstreamError classify(int status, String exception, String message) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (exception != null) {
      headers.add("x-amzn-ErrorType", exception + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    }
    return BedrockErrors.classify(status, headers, Buffer.buffer("{\"message\":\"" + message + "\"}"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      429 | ThrottlingException            | Too many requests, please wait before trying again.  | RATE_LIMITED
      400 | ServiceQuotaExceededException  | Your request exceeded your quota.                    | RATE_LIMITED
      429 | ModelNotReadyException         | Model is not ready for inference. Wait and try again. | OVERLOADED
      503 | ServiceUnavailableException    | Bedrock is unable to process your request.           | OVERLOADED
      408 | ModelTimeoutException          | Model has timed out in processing the request.       | TIMEOUT
      400 | ValidationException            | The model returned the following errors: messages: field required | BAD_REQUEST
      400 | ValidationException            | Input is too long for requested model.               | CONTEXT_LENGTH_EXCEEDED
      400 | ValidationException            | prompt is too long: 208734 tokens > 200000 maximum   | CONTEXT_LENGTH_EXCEEDED
      403 | AccessDeniedException          | You don't have access to the model with the specified model ID. | AUTH
      403 | UnrecognizedClientException    | The security token included in the request is invalid. | AUTH
      403 | ExpiredTokenException          | The security token included in the request is expired | AUTH
      404 | ResourceNotFoundException      | Model not found.                                     | NOT_FOUND
      500 | InternalServerException        | The system encountered an unexpected error.          | SERVER_ERROR
      424 | ModelErrorException            | The model produced an error.                         | SERVER_ERROR
      """)
  void theExceptionNameDecides(int status, String exception, String message, ErrorClass expected) {
    assertThat(classify(status, exception, message).errorClass()).isEqualTo(expected);
  }

  @Test
  void theStatusDecidesWhenNoExceptionIsNamedAndTheBodysTypeCountsToo() {
    assertThat(classify(429, null, "slow down").errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
    assertThat(classify(503, null, "later").errorClass()).isEqualTo(ErrorClass.OVERLOADED);
    assertThat(classify(403, null, "no").errorClass()).isEqualTo(ErrorClass.AUTH);
    assertThat(BedrockErrors.classify(400, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(
        "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"Rate exceeded\"}")).errorClass())
        .isEqualTo(ErrorClass.RATE_LIMITED);
  }

  @Test
  void credentialFailuresKeepAwsTextOutAndThrottlingKeepsItsRetryHint() {
    UpstreamError denied = classify(403, "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided.");
    assertThat(denied.message()).contains("InvalidSignatureException").doesNotContain("signature we calculated");

    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-amzn-ErrorType", "ThrottlingException")
        .add("retry-after", "7");
    UpstreamError throttled = BedrockErrors.classify(429, headers, Buffer.buffer("{\"message\":\"Too many requests\"}"));
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(throttled.message()).isEqualTo("Too many requests");
  }
}
